using System;
using static TorchSharp.torch;

namespace Composer.Data;

/// <summary>
/// One training or evaluation batch, ready for a model. The batch owns its tensors (they are kept out
/// of any open dispose scope) and releases them on <see cref="Dispose"/>. Padded target positions hold
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
/// Two counts travel with the tensors, so nobody has to read them back from the device:
/// <see cref="TargetTokens"/> (what the loss averages over) and <see cref="InputTokens"/> (what the
/// model reads: the "tokens" of tokens/s).
/// </remarks>
/// <param name="Input">int64 (B, T) tokens (the source for seq2seq).</param>
/// <param name="InputPadding">bool (B, T), true at padded positions, or null when nothing is padded.</param>
/// <param name="Target">int64 targets: (B, T) tokens or (B) classes.</param>
/// <param name="DecoderInput">seq2seq only: int64 (B, T) teacher-forced decoder input.</param>
/// <param name="DecoderPadding">seq2seq only: bool (B, T) padding of the decoder input, or null.</param>
/// <param name="TargetTokens">Number of non-ignored targets: what per-target losses and targets/s count.</param>
/// <param name="InputTokens">
/// Number of tokens the model reads: the non-padded positions of <see cref="Input"/>, plus those of
/// <see cref="DecoderInput"/> for seq2seq. What tokens/s counts.
/// </param>
public sealed record Batch(
    Tensor Input,
    Tensor? InputPadding,
    Tensor Target,
    Tensor? DecoderInput,
    Tensor? DecoderPadding,
    long TargetTokens,
    long InputTokens) : IDisposable
{
    /// <summary>The target value the loss ignores (PyTorch's default <c>ignore_index</c>).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>Number of sequences.</summary>
    public long Size => Input.shape[0];

    /// <summary>Moves every tensor to <paramref name="device"/> (a new batch owning new tensors; this one is left as is).</summary>
    public Batch To(Device device) => new(
        Own(Input.to(device)), Own(InputPadding?.to(device)), Own(Target.to(device)),
        Own(DecoderInput?.to(device)), Own(DecoderPadding?.to(device)), TargetTokens, InputTokens);

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(tensor))]
    private static Tensor? Own(Tensor? tensor) => tensor?.DetachFromDisposeScope();

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
