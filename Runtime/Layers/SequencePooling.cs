using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// Reduces a sequence (B, T, C) to one vector per sequence (B, C), skipping padded positions: what a
/// classifier's <c>Pooling</c> option chooses. <c>padding</c> is (B, T) bool, true at padded positions,
/// or null when nothing is padded. Generated classifiers call the one their declaration chose.
/// </summary>
public static class SequencePooling
{
    /// <summary>Mean over the non-padded positions (a fully padded sequence gives zeros).</summary>
    public static Tensor Mean(Tensor x, Tensor? padding)
    {
        CheckShapes(x, padding);
        if (padding is null) return x.mean([1]);
        var keep = padding.logical_not().unsqueeze(-1).to(x.dtype);      // (B, T, 1)
        var count = keep.sum(1).clamp_min(1.0);                          // (B, 1)
        return (x * keep).sum(1) / count;                                // (B, C)
    }

    /// <summary>Element-wise maximum over the non-padded positions (−∞ for a fully padded sequence).</summary>
    public static Tensor Max(Tensor x, Tensor? padding)
    {
        CheckShapes(x, padding);
        var masked = padding is null ? x : x.masked_fill(padding.unsqueeze(-1), double.NegativeInfinity);
        return masked.max(1).values;
    }

    /// <summary>The first position, e.g. a leading classification token.</summary>
    public static Tensor First(Tensor x, Tensor? padding)
    {
        CheckShapes(x, padding);
        return x.select(1, 0);
    }

    /// <summary>The last non-padded position of each sequence (right padding assumed; position 0 when everything is padded).</summary>
    public static Tensor Last(Tensor x, Tensor? padding)
    {
        CheckShapes(x, padding);
        if (padding is null) return x.select(1, x.shape[1] - 1);
        var last = (padding.logical_not().sum(1, type: ScalarType.Int64) - 1).clamp_min(0);   // (B)
        var index = last.view(-1, 1, 1).expand(-1, 1, x.shape[2]);                              // (B, 1, C)
        return x.gather(1, index).squeeze(1);
    }

    private static void CheckShapes(Tensor x, Tensor? padding)
    {
        if (x.dim() != 3) throw new ArgumentException($"pooling expects a sequence of shape (batch, time, channels), got [{string.Join(", ", x.shape)}]", nameof(x));
        if (padding is not null && (padding.dtype != ScalarType.Bool || padding.dim() != 2 || padding.shape[0] != x.shape[0] || padding.shape[1] != x.shape[1]))
            throw new ArgumentException($"pooling expects padding as a bool mask of shape [{x.shape[0]}, {x.shape[1]}] (true = padded), got {padding.dtype} [{string.Join(", ", padding.shape)}]", nameof(padding));
    }
}
