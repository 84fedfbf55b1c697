using System;

namespace Composer
{
    /// <summary>
    /// Taylor attention (MIXERS.md §5): similarity 1 + q̂·k̂ of L2-normalised queries and keys, the
    /// first-order expansion of exp; runs as linear attention with φ(x) = [1; x/‖x‖]. Alignment-free,
    /// so it can also be the decoder's cross mixer.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class TaylorAttentionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;
    }
}
