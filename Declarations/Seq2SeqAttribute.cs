using System;

namespace Composer
{
    /// <summary>
    /// Declares an encoder–decoder model. The class contains two nested partial classes, one marked
    /// <see cref="EncoderAttribute"/> and one marked <see cref="DecoderAttribute"/>, each carrying
    /// the mixer attributes of its stack. The decoder is causal and attends to the encoder output
    /// through its cross-attention sublayer.
    /// </summary>
    /// <example>
    /// <code>
    /// [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 512)]
    /// public partial class ConvTranslator
    /// {
    ///     [Encoder(Depth = 7)]
    ///     [DynamicConvolution(Heads = 16, Kernels = new[] { 3, 7, 15, 31, 31, 31, 31 })]
    ///     public partial class Encoder;
    ///
    ///     [Decoder(Depth = 6)]
    ///     [DynamicConvolution(Heads = 16, Kernels = new[] { 3, 7, 15, 31, 31, 31 })]
    ///     public partial class Decoder;
    /// }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class Seq2SeqAttribute : ModelAttribute
    {
        /// <summary>Number of tokens in the source vocabulary. Required.</summary>
        public int SourceVocabulary { get; set; }

        /// <summary>Number of tokens in the target vocabulary. Required.</summary>
        public int TargetVocabulary { get; set; }

        /// <summary>Share the decoder's token embedding with its output projection. Default false.</summary>
        public bool TieEmbeddings { get; set; }
    }
}
