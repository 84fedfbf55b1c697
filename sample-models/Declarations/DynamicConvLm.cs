using Composer;

namespace Composer.Samples;

/// <summary>
/// Decoder-only language model of dynamic convolutions: each position predicts its own kernel
/// from its input (MIXERS.md §3). Same kernel schedule as <see cref="LightConvLm"/>.
/// </summary>
[LanguageModel(Vocabulary = 256, Width = 512, Depth = 7, MaxLength = 1024)]
[DynamicConvolution(Heads = 16, Kernels = new[] { 3, 7, 15, 31, 31, 31, 31 })]
public partial class DynamicConvLm;
