using System;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>Argument checks of a mixer's <c>Forward</c> and <c>Step</c>, with messages that name the mixer and the expected shapes.</summary>
internal static class MixerInput
{
    /// <summary>Checks a (B, T, C) input and its (B, T) padding.</summary>
    public static void CheckInput(string mixer, Tensor x, Tensor? padding, int width)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 3 || x.shape[2] != width)
            throw new ArgumentException($"{mixer} expects x of shape (B, T, {width}), got [{string.Join(", ", x.shape)}]", nameof(x));
        if (padding is null) return;
        if (padding.dtype != ScalarType.Bool || padding.dim() != 2 || padding.shape[0] != x.shape[0] || padding.shape[1] != x.shape[1])
            throw new ArgumentException($"{mixer} expects padding as bool (B, T) = ({x.shape[0]}, {x.shape[1]}), got {padding.dtype} [{string.Join(", ", padding.shape)}]", nameof(padding));
    }

    /// <summary>Checks the (B, 1, C) input of a step against its state's batch.</summary>
    public static void CheckStep(string mixer, Tensor x, long stateBatch, int width)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 3 || x.shape[1] != 1 || x.shape[2] != width)
            throw new ArgumentException($"{mixer}.Step expects x of shape (B, 1, {width}), got [{string.Join(", ", x.shape)}]", nameof(x));
        if (x.shape[0] != stateBatch)
            throw new ArgumentException($"{mixer}.Step: the decoding state holds {stateBatch} sequences but the step has {x.shape[0]}; Reorder the state when the batch changes", nameof(x));
    }

    /// <summary>Checks the batch size asked of <c>NewState</c>.</summary>
    public static void CheckBatchSize(long batchSize)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "a decoding state needs at least one sequence");
    }
}
