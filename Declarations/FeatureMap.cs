namespace Composer
{
    /// <summary>Non-negative feature map φ of <see cref="LinearAttentionAttribute"/> (MIXERS.md §4).</summary>
    public enum FeatureMap
    {
        /// <summary>φ(x) = elu(x) + 1, strictly positive (Katharopoulos et al. 2020).</summary>
        Elu,

        /// <summary>φ(x) = relu(x); the normaliser's epsilon keeps the division safe.</summary>
        Relu,
    }
}
