using Composer;

namespace Composer.Bench.Training;

// The two sample architectures (sample-models/Declarations/TransformerLm.cs and LightConvLm.cs) at the
// benchmark's two sizes. Everything not given here is the samples' default: feed-forward 4·C, GELU,
// pre-norm, sinusoidal positions, residual dropout 0.1; the Transformer ties its embeddings.

/// <summary>Configuration (a), softmax attention: C = 128, 4 layers, 4 heads.</summary>
[LanguageModel(Vocabulary = 256, Width = 128, Depth = 4, MaxLength = 128, TieEmbeddings = true)]
[SelfAttention(Heads = 4)]
public partial class TransformerA;

/// <summary>Configuration (a), lightweight convolution: C = 128, 4 layers, 4 heads, kernel 7.</summary>
[LanguageModel(Vocabulary = 256, Width = 128, Depth = 4, MaxLength = 128)]
[LightweightConvolution(Heads = 4, Kernels = new[] { 7 })]
public partial class LightConvA;

/// <summary>Configuration (b), softmax attention: C = 256, 6 layers, 8 heads.</summary>
[LanguageModel(Vocabulary = 256, Width = 256, Depth = 6, MaxLength = 256, TieEmbeddings = true)]
[SelfAttention(Heads = 8)]
public partial class TransformerB;

/// <summary>Configuration (b), lightweight convolution: C = 256, 6 layers, 8 heads, kernels widening with depth.</summary>
[LanguageModel(Vocabulary = 256, Width = 256, Depth = 6, MaxLength = 256)]
[LightweightConvolution(Heads = 8, Kernels = new[] { 3, 7, 15, 31, 31, 31 })]
public partial class LightConvB;
