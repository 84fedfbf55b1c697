using Composer;

namespace Composer.Samples;

/// <summary>
/// Encoder–decoder translation model of dynamic convolutions, shaped like fairseq's
/// <c>lightconv</c> recipe: a 7-layer centred encoder, a 6-layer causal decoder, and softmax
/// cross-attention from the decoder to the encoder (MIXERS.md §3).
/// </summary>
[Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 512, Norm = NormPlacement.Post)]
public partial class ConvTranslator
{
    [Encoder(Depth = 7)]
    [DynamicConvolution(Heads = 16, Kernels = new[] { 3, 7, 15, 31, 31, 31, 31 })]
    public partial class Encoder;

    [Decoder(Depth = 6)]
    [DynamicConvolution(Heads = 16, Kernels = new[] { 3, 7, 15, 31, 31, 31 })]
    [SelfAttention(Cross = true, Heads = 8)]
    public partial class Decoder;
}
