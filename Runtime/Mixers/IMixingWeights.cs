using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// A self-mixer whose output at position t is a weighted sum over positions s (of projected inputs), and
/// which can show those weights: the attention map of attention, the fixed matrix of constant attention,
/// the implied weights of linear attention, the kernels of a convolution laid out as a band. Recurrent
/// mixers carry a state instead, and have no such weights.
/// </summary>
public interface IMixingWeights
{
    /// <summary>What the weights are, for a figure's caption, e.g. "softmax weights" or "kernel band".</summary>
    string WeightsKind { get; }

    /// <summary>
    /// The weights the mixer applies to <paramref name="x"/> (B, T, C) with <paramref name="padding"/>, as
    /// (B, H, T, T) float32: row t holds how much output t takes from each position s, exactly as
    /// <c>forward</c> uses them in evaluation mode (no dropout). Positions a row does not see are 0.
    /// </summary>
    Tensor MixingWeights(Tensor x, Tensor? padding);
}

/// <summary>A cross-mixer that can show its weights over the memory (see <see cref="IMixingWeights"/>).</summary>
public interface ICrossMixingWeights
{
    /// <summary>What the weights are, for a caption.</summary>
    string WeightsKind { get; }

    /// <summary>(B, H, T, S) float32 weights of target positions over memory positions, as <c>forward</c> uses them in evaluation mode.</summary>
    Tensor MixingWeights(Tensor query, Tensor memory, Tensor? memoryPadding);
}
