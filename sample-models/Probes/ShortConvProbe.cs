using Composer;

namespace Composer.Samples.Probes;

/// <summary>Lightweight convolution, kernels 3 and 7: a receptive field of 9 tokens, shorter than most agreement distances.</summary>
[LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, FeedForward = 128, MaxLength = 128)]
[LightweightConvolution(Heads = 4, Kernels = new[] { 3, 7 })]
public partial class ShortConvProbe;
