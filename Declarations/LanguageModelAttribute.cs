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

        /// <summary>
        /// Make the stack reversible (Reformer's coupling, MIXERS.md §9): two streams, each sublayer adding
        /// to one what it computes from the other (Y₁ = X₁ + Mixer(X₂), Y₂ = X₂ + FFN(Y₁)), the output their
        /// mean. The backward pass then recomputes activations instead of storing them, dropout replayed
        /// exactly, so training memory for activations no longer grows with depth. The parameters are
        /// those of the same stack without the option. Needs <see cref="NormPlacement.Pre"/>. Default false.
        /// </summary>
        public bool Reversible { get; set; }

        /// <summary>
        /// Funnel-Transformer pooling (MIXERS.md §10): the layers of the stack, grouped into blocks of these
        /// sizes (in order, summing to Depth), with the sequence pooled by 2 before every block but the first.
        /// The first layer of each new block attends from the pooled sequence to the sequence before pooling
        /// when its mixer can (softmax and sparsemax attention); other mixers see the pooled sequence. Needs
        /// MaxLength, halvable once per pooling. Only in encoder stacks: a language model is causal, and
        /// Funnel on it is an error (CMP0050). Null (the default) pools nothing.
        /// </summary>
        public int[]? Funnel { get; set; }

        /// <summary>How <see cref="Funnel"/> pools each pair of positions. Default <see cref="Composer.FunnelPooling.Mean"/>.</summary>
        public FunnelPooling FunnelPooling { get; set; } = FunnelPooling.Mean;

        /// <summary>Keep the first position (a leading classification or BOS token) out of <see cref="Funnel"/>'s
        /// pooling, at full resolution in front of the pooled sequence, as Funnel's <c>separate_cls</c>. Default false.</summary>
        public bool FunnelKeepFirst { get; set; }
    }
}
