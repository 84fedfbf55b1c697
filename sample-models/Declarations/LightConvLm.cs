using Composer;

namespace Composer.Samples;

/// <summary>
/// Decoder-only language model of lightweight convolutions with kernels widening with depth, the
/// fairseq encoder list 3, 7, 15, 31 × 4 (MIXERS.md §2). Its causal receptive field is
/// 1 + Σ(K − 1) = 143 tokens, which the generator reports as information against MaxLength.
/// </summary>
[LanguageModel(Vocabulary = 256, Width = 512, Depth = 7, MaxLength = 1024)]
[LightweightConvolution(Heads = 16, Kernels = new[] { 3, 7, 15, 31, 31, 31, 31 })]
public partial class LightConvLm;
