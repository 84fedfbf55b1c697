using System;
using Composer.Tensors;

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
        if (padding is null) return x.Mean(1);
        var keep = padding.LogicalNot().Unsqueeze(-1).To(x.DType);      // (B, T, 1)
        var count = keep.Sum(1).Clamp(min: 1.0);                          // (B, 1)
        return (x * keep).Sum(1) / count;                                 // (B, C)
    }

    /// <summary>Element-wise maximum over the non-padded positions (−∞ for a fully padded sequence).</summary>
    public static Tensor Max(Tensor x, Tensor? padding)
    {
        CheckShapes(x, padding);
        var masked = padding is null ? x : x.MaskedFill(padding.Unsqueeze(-1), double.NegativeInfinity);
        return masked.Max(1).Values;
    }

    /// <summary>The first position, e.g. a leading classification token.</summary>
    public static Tensor First(Tensor x, Tensor? padding)
    {
        CheckShapes(x, padding);
        return x.Select(1, 0);
    }

    /// <summary>The last non-padded position of each sequence (right padding assumed; position 0 when
    /// everything is padded).</summary>
    public static Tensor Last(Tensor x, Tensor? padding)
    {
        CheckShapes(x, padding);
        if (padding is null) return x.Select(1, x.Size(1) - 1);
        var last = (padding.LogicalNot().Sum(1, dtype: DType.Int64) - 1).Clamp(min: 0);   // (B)
        var index = last.View(-1, 1, 1).Expand(-1, 1, x.Size(2));                          // (B, 1, C)
        return x.Gather(1, index).Squeeze(1);
    }

    private static void CheckShapes(Tensor x, Tensor? padding)
    {
        if (x.Dim != 3) throw new ArgumentException($"pooling expects a sequence of shape (batch, time, channels), got [{string.Join(", ", x.Shape)}]", nameof(x));
        if (padding is not null && (padding.DType != DType.Bool || padding.Dim != 2 || padding.Size(0) != x.Size(0) || padding.Size(1) != x.Size(1)))
            throw new ArgumentException($"pooling expects padding as a bool mask of shape [{x.Size(0)}, {x.Size(1)}] (true = padded), got {padding.DType} [{string.Join(", ", padding.Shape)}]", nameof(padding));
    }
}
