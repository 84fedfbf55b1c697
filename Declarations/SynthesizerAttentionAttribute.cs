using System;

namespace Composer
{
    /// <summary>
    /// Synthesizer attention (MIXERS.md §6, Tay et al. 2021): attention weights synthesised without
    /// token–token dot products, either a learned matrix or a per-token prediction. Needs
    /// <see cref="ModelAttribute.MaxLength"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class SynthesizerAttentionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;

        /// <summary>How the logits are produced. Default <see cref="SynthesizerKind.Random"/>.</summary>
        public SynthesizerKind Kind { get; set; } = SynthesizerKind.Random;
    }
}
