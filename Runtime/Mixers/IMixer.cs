using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// A token mixer: the part of a block that moves information between positions (attention,
/// convolution, recurrence, …). Channels in, channels out; the block around it (residuals, norms, the
/// feed-forward) is generated per model. Implement this on a <c>torch.nn.Module&lt;Tensor, Tensor?, Tensor&gt;</c>
/// with a public constructor taking a <see cref="MixerContext"/> to plug your own mixer into a
/// declaration: the module's <c>forward</c> is this interface's.
/// </summary>
public interface IMixer
{
    /// <summary>What the mixer is (causal-capable, alignment-free, cost class, what it needs).</summary>
    MixerFacts Facts { get; }

    /// <summary>
    /// Mixes a whole sequence. <paramref name="x"/> is (B, T, C); <paramref name="padding"/> is (B, T)
    /// bool with true at padded positions, or null when nothing is padded. Returns (B, T, C). A mixer
    /// built with <see cref="MixerContext.Causal"/> lets position t see only positions ≤ t.
    /// </summary>
    Tensor forward(Tensor x, Tensor? padding);
}

/// <summary>
/// A causal-capable mixer that can decode one position at a time: <see cref="Step"/> on positions
/// 0, 1, 2, … reproduces the causal <see cref="IMixer.forward"/> of the whole sequence.
/// </summary>
/// <typeparam name="TState">What the mixer remembers between steps (KV cache, convolution window, recurrent state).</typeparam>
public interface IIncrementalMixer<TState> : IMixer where TState : IMixerState
{
    /// <summary>An empty state for a batch of <paramref name="batchSize"/> sequences.</summary>
    TState NewState(long batchSize);

    /// <summary>Mixes the next position: <paramref name="x"/> is (B, 1, C); updates <paramref name="state"/>; returns (B, 1, C).</summary>
    Tensor Step(Tensor x, TState state);
}

/// <summary>
/// Mixes a target sequence with an encoded source (cross-attention). Only alignment-free mixers can do
/// this. Implemented by a <c>torch.nn.Module&lt;Tensor, Tensor, Tensor?, Tensor&gt;</c>.
/// </summary>
public interface ICrossMixer
{
    /// <summary>What the mixer is.</summary>
    MixerFacts Facts { get; }

    /// <summary>
    /// <paramref name="query"/> (B, T, C) attends to <paramref name="memory"/> (B, S, C);
    /// <paramref name="memoryPadding"/> (B, S) marks padded source positions. Returns (B, T, C).
    /// </summary>
    Tensor forward(Tensor query, Tensor memory, Tensor? memoryPadding);
}

/// <summary>
/// A cross mixer that can decode one target position at a time: <see cref="NewState"/> digests the memory
/// once (for attention, projects its keys and values), then <see cref="Step"/> on target positions
/// 0, 1, 2, … reproduces <see cref="ICrossMixer.forward"/> of the whole target.
/// </summary>
/// <typeparam name="TState">What the mixer keeps of the memory between steps.</typeparam>
public interface IIncrementalCrossMixer<TState> : ICrossMixer where TState : IMixerState
{
    /// <summary>The state for decoding against <paramref name="memory"/> (B, S, C) with <paramref name="memoryPadding"/> (B, S) or null.</summary>
    TState NewState(Tensor memory, Tensor? memoryPadding);

    /// <summary>Mixes target positions <paramref name="query"/> (B, 1, C) with the memory held by <paramref name="state"/>; returns (B, 1, C).</summary>
    Tensor Step(Tensor query, TState state);
}
