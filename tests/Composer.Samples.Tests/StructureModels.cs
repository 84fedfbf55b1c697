using Composer;

namespace Composer.Samples.Tests.Structure;

// Models with Funnel and reversible stacks (MIXERS.md §9, §10), small enough for a committed PyTorch
// reference (tests/reference/structure_reference.py builds the same models; StructureModelTests compares).

/// <summary>Four attention layers in Funnel blocks of 1, 2 and 1, mean pooling, the first position kept apart and pooled at the end.</summary>
[Classifier(Vocabulary = 64, Classes = 3, Width = 16, FeedForward = 32, Depth = 4, MaxLength = 17, Pooling = Pooling.First,
    Funnel = new[] { 1, 2, 1 }, FunnelKeepFirst = true)]
[SelfAttention(Heads = 4)]
public partial class FunnelClassifier;

/// <summary>Post-norm, max pooling: a convolution, sparsemax attention from pooled queries, a convolution on the pooled sequence.</summary>
[Classifier(Vocabulary = 64, Classes = 2, Width = 16, FeedForward = 32, Depth = 3, MaxLength = 16, Norm = NormPlacement.Post,
    Funnel = new[] { 1, 1, 1 }, FunnelPooling = FunnelPooling.Max)]
[LightweightConvolution(Layers = "0", Heads = 4, Kernels = new[] { 3 })]
[SparsemaxAttention(Layers = "1", Heads = 4)]
[LightweightConvolution(Layers = "2", Heads = 4, Kernels = new[] { 3 })]
public partial class MaxFunnelClassifier;

/// <summary>A Funnel encoder (blocks of 2 and 1): the decoder attends to the pooled memory.</summary>
[Seq2Seq(SourceVocabulary = 64, TargetVocabulary = 64, Width = 16, FeedForward = 32, MaxLength = 32)]
public partial class FunnelTranslator
{
    [Encoder(Depth = 3, Funnel = new[] { 2, 1 })]
    [SelfAttention(Heads = 4)]
    public partial class Encoder;

    [Decoder(Depth = 2)]
    [SelfAttention(Heads = 4)]
    public partial class Decoder;
}

/// <summary>A reversible language model: two attention layers and a lightweight convolution.</summary>
[LanguageModel(Vocabulary = 64, Width = 16, FeedForward = 32, Depth = 3, MaxLength = 32, Reversible = true)]
[SelfAttention(Layers = "0..2", Heads = 4)]
[LightweightConvolution(Layers = "2", Heads = 4, Kernels = new[] { 3 })]
public partial class ReversibleLm;

/// <summary>Reversible encoder and decoder; the decoder's cross sublayers are coupled too.</summary>
[Seq2Seq(SourceVocabulary = 64, TargetVocabulary = 64, Width = 16, FeedForward = 32, MaxLength = 32)]
public partial class ReversibleTranslator
{
    [Encoder(Depth = 2, Reversible = true)]
    [SelfAttention(Heads = 4)]
    public partial class Encoder;

    [Decoder(Depth = 2, Reversible = true)]
    [SelfAttention(Heads = 4)]
    public partial class Decoder;
}
