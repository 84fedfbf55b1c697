using System;
using Composer.Tensors;

namespace Composer.Data;

/// <summary>
/// One training or evaluation batch, ready for a model. The batch owns its tensors (they are created
/// outside step scopes) and releases them on <see cref="Dispose"/>. Padded target positions hold
/// <see cref="IgnoreIndex"/> so the loss skips them.
/// </summary>
/// <remarks>
/// By model kind:
/// <list type="bullet">
/// <item>language model: <see cref="Input"/> (B, T) tokens, <see cref="Target"/> (B, T) the next tokens;</item>
/// <item>seq2seq: <see cref="Input"/> (B, S) source, <see cref="DecoderInput"/> (B, T) = BOS + target
/// shifted right, <see cref="Target"/> (B, T), <see cref="DecoderPadding"/> (B, T);</item>
/// <item>classifier: <see cref="Input"/> (B, T) tokens, <see cref="Target"/> (B) class ids.</item>
/// </list>
/// </remarks>
/// <param name="Input">int64 (B, T) tokens (the source for seq2seq).</param>
/// <param name="InputPadding">bool (B, T), true at padded positions, or null when nothing is padded.</param>
/// <param name="Target">int64 targets: (B, T) tokens or (B) classes.</param>
/// <param name="DecoderInput">seq2seq only: int64 (B, T) teacher-forced decoder input.</param>
/// <param name="DecoderPadding">seq2seq only: bool (B, T) padding of the decoder input, or null.</param>
/// <param name="TargetTokens">Number of non-ignored targets (what tokens/s and per-token losses count).</param>
public sealed record Batch(
    Tensor Input,
    Tensor? InputPadding,
    Tensor Target,
    Tensor? DecoderInput,
    Tensor? DecoderPadding,
    long TargetTokens) : IDisposable
{
    /// <summary>The target value the loss ignores (PyTorch's default <c>ignore_index</c>).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>Number of sequences.</summary>
    public long Size => Input.Size(0);

    /// <summary>Moves every tensor to <paramref name="device"/> (a new batch; this one is left as is).</summary>
    public Batch To(Device device) => new(
        Input.To(device).Persist(), InputPadding?.To(device).Persist(), Target.To(device).Persist(),
        DecoderInput?.To(device).Persist(), DecoderPadding?.To(device).Persist(), TargetTokens);

    /// <summary>Releases the batch's tensors.</summary>
    public void Dispose()
    {
        Input.Dispose();
        InputPadding?.Dispose();
        Target.Dispose();
        DecoderInput?.Dispose();
        DecoderPadding?.Dispose();
    }
}
