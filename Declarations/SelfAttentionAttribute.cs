using System;

namespace Composer
{
    /// <summary>
    /// Softmax multi-head scaled dot-product attention (MIXERS.md §0), the baseline every other
    /// mixer replaces. Causal in a decoder (key-value cache when decoding); alignment-free, so it can
    /// also be the decoder's cross mixer (<see cref="TokenMixerAttribute.Cross"/>).
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class SelfAttentionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;
    }
}
