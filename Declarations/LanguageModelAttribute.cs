using System;

namespace Composer
{
    /// <summary>
    /// Declares a decoder-only language model: token embedding, <see cref="Depth"/> causal layers and
    /// a projection back to the vocabulary. Every mixer runs in causal mode.
    /// </summary>
    /// <example>
    /// <code>
    /// [LanguageModel(Vocabulary = 256, Width = 256, Depth = 6)]
    /// [LightweightConvolution(Layers = "0..4", Kernels = new[] { 3, 7, 15, 31 })]
    /// [SelfAttention(Layers = "4..", Heads = 8)]
    /// public partial class HybridLm;
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class LanguageModelAttribute : ModelAttribute
    {
        /// <summary>Number of tokens in the vocabulary. Required.</summary>
        public int Vocabulary { get; set; }

        /// <summary>Number of layers. Required.</summary>
        public int Depth { get; set; }

        /// <summary>Share the token embedding with the output projection. Default false.</summary>
        public bool TieEmbeddings { get; set; }
    }
}
