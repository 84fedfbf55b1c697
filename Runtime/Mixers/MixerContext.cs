using Composer.Layers;

namespace Composer.Mixers;

/// <summary>
/// What a mixer is told by the declaration of the layer it sits in. Built-in mixers take this plus
/// their typed options; a user mixer's public constructor takes exactly this.
/// </summary>
/// <param name="Module">Device and dtype for parameters.</param>
/// <param name="Width">Model channels C.</param>
/// <param name="Heads">Head count H (1 when the mixer has no heads); C % H == 0 is checked at compile time.</param>
/// <param name="Kernel">This layer's kernel width K (0 when the mixer has no kernel).</param>
/// <param name="MaxLength">Maximum sequence length L_max (0 when not declared).</param>
/// <param name="Causal">True in a decoder: position t may only see positions ≤ t.</param>
/// <param name="LayerIndex">Index of the layer in its stack.</param>
/// <param name="AttentionDropout">Dropout on attention weights.</param>
/// <param name="WeightDropout">DropConnect on convolution kernels.</param>
/// <param name="Window">The declared window, for a user mixer whose facts state <see cref="MixerNeeds.Window"/> (0 otherwise; local attention takes its window from its options).</param>
public sealed record MixerContext(
    ModuleContext Module,
    int Width,
    int Heads = 1,
    int Kernel = 0,
    int MaxLength = 0,
    bool Causal = false,
    int LayerIndex = 0,
    double AttentionDropout = 0.0,
    double WeightDropout = 0.0,
    int Window = 0);
