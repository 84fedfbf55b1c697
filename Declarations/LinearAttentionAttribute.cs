using System;

namespace Composer
{
    /// <summary>
    /// Linear attention (MIXERS.md §4, Katharopoulos et al. 2020): softmax replaced by a feature map
    /// φ(q)·φ(k), linear in the sequence length; causal by prefix sums, with a constant-size state when
    /// decoding. Alignment-free, so it can also be the decoder's cross mixer.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class LinearAttentionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;

        /// <summary>The non-negative feature map φ. Default <see cref="Composer.FeatureMap.Elu"/> (elu + 1).</summary>
        public FeatureMap FeatureMap { get; set; } = FeatureMap.Elu;
    }
}
