using System;

namespace Composer
{
    /// <summary>
    /// Sparsemax attention (MIXERS.md §1): multi-head dot-product attention with sparsemax instead of
    /// softmax, so weights can be exactly zero. Causal in a decoder; alignment-free, so it can also be the
    /// decoder's cross mixer.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class SparsemaxAttentionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;
    }
}
