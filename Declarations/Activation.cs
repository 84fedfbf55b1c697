namespace Composer
{
    /// <summary>Activation of the feed-forward sublayer.</summary>
    public enum Activation
    {
        /// <summary>max(0, x).</summary>
        Relu,

        /// <summary>Gaussian error linear unit, x·Φ(x).</summary>
        Gelu,

        /// <summary>Sigmoid linear unit (swish), x·σ(x).</summary>
        Silu,
    }
}
