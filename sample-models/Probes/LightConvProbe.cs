using Composer;

namespace Composer.Samples.Probes;

/// <summary>Lightweight convolution, kernels 15 and 31: a receptive field of 45 tokens.</summary>
[LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, FeedForward = 128, MaxLength = 128)]
[LightweightConvolution(Heads = 4, Kernels = new[] { 15, 31 })]
public partial class LightConvProbe;
