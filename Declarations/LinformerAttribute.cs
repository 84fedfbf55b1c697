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

        /// <summary>Projected sequence length k, at most MaxLength. 0 (the default) means MaxLength / 4,
        /// rounded down but at least 1 (so a MaxLength below 8 projects to 1).</summary>
        public int ProjectedLength { get; set; }
    }
}
