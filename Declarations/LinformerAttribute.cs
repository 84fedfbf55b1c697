using System;

namespace Composer
{
    /// <summary>
    /// Linformer attention (MIXERS.md §8, Wang et al. 2020): keys and values are projected along the
    /// sequence axis from MaxLength down to <see cref="ProjectedLength"/>. Encoder only (the projection
    /// mixes future positions); needs <see cref="ModelAttribute.MaxLength"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class LinformerAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;

        /// <summary>Projected sequence length k. 0 (the default) means MaxLength / 4; at most MaxLength.</summary>
        public int ProjectedLength { get; set; }
    }
}
