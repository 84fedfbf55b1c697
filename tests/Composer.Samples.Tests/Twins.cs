using Composer;

namespace Composer.Samples.Tests;

// Each sample of sample-models/Declarations at a reduced size, so its PyTorch reference (weights,
// inputs, outputs and gradients) fits in a small committed file: only Width, FeedForward and the
// vocabulary differ from the sample, which TwinTests checks on the generated descriptions.

[LanguageModel(Vocabulary = 64, Width = 16, FeedForward = 32, Depth = 6, MaxLength = 1024, TieEmbeddings = true)]
[SelfAttention(Heads = 8)]
public partial class TransformerLmTwin;

[LanguageModel(Vocabulary = 64, Width = 16, FeedForward = 32, Depth = 7, MaxLength = 1024)]
[LightweightConvolution(Heads = 16, Kernels = new[] { 3, 7, 15, 31, 31, 31, 31 })]
public partial class LightConvLmTwin;

[LanguageModel(Vocabulary = 64, Width = 16, FeedForward = 32, Depth = 7, MaxLength = 1024)]
[DynamicConvolution(Heads = 16, Kernels = new[] { 3, 7, 15, 31, 31, 31, 31 })]
public partial class DynamicConvLmTwin;

[LanguageModel(Vocabulary = 64, Width = 16, FeedForward = 32, Depth = 6, MaxLength = 1024)]
[LinearAttention(Heads = 8, FeatureMap = FeatureMap.Elu)]
public partial class LinearTransformerLmTwin;

[LanguageModel(Vocabulary = 64, Width = 16, FeedForward = 32, Depth = 6, MaxLength = 1024)]
[LightweightConvolution(Layers = "0..4", Heads = 8, Kernels = new[] { 3, 7, 15, 31 })]
[SelfAttention(Layers = "4..", Heads = 8)]
public partial class HybridLmTwin;

[Seq2Seq(SourceVocabulary = 64, TargetVocabulary = 64, Width = 16, FeedForward = 32, Norm = NormPlacement.Post)]
public partial class ConvTranslatorTwin
{
    [Encoder(Depth = 7)]
    [DynamicConvolution(Heads = 16, Kernels = new[] { 3, 7, 15, 31, 31, 31, 31 })]
    public partial class Encoder;

    [Decoder(Depth = 6)]
    [DynamicConvolution(Heads = 16, Kernels = new[] { 3, 7, 15, 31, 31, 31 })]
    [SelfAttention(Cross = true, Heads = 8)]
    public partial class Decoder;
}

[Classifier(Vocabulary = 64, Classes = 2, Width = 16, FeedForward = 32, Depth = 4, MaxLength = 512,
    Positions = PositionalEncoding.Learned, Pooling = Pooling.Mean)]
[SelfAttention(Heads = 4)]
public partial class AttentionClassifierTwin;
