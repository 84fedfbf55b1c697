using System;

namespace Composer
{
    /// <summary>
    /// Local (sliding-window) softmax attention (MIXERS.md §1): each position attends to the
    /// <see cref="Window"/> positions on each side, or to the <see cref="Window"/> previous positions in a
    /// decoder.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class LocalAttentionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;

        /// <summary>Number of neighbouring positions attended on each side (left only in a decoder). Required.</summary>
        public int Window { get; set; }
    }
}
