using System;
using System.Collections.Generic;
using Composer.Tensors;

namespace Composer.Data;

/// <summary>A batch of a <see cref="ContrastiveEvaluationSet"/> with what to compare for each row.</summary>
public sealed class ContrastiveBatch : IDisposable
{
    internal ContrastiveBatch(Batch batch, ContrastiveTarget[] targets)
    {
        Batch = batch;
        Targets = targets;
    }

    /// <summary>The model input (its targets also give the usual loss).</summary>
    public Batch Batch { get; }

    /// <summary>One per row.</summary>
    public IReadOnlyList<ContrastiveTarget> Targets { get; }

    /// <summary>
    /// For each row, whether the model prefers the correct id: p(correct) &gt; p(wrong), which is
    /// logit(correct) &gt; logit(wrong) since softmax is monotone. <paramref name="logits"/> is the
    /// model's output for <see cref="Batch"/>: (B, T, V) from a language model, (B, C) from a
    /// classifier, on any device and floating dtype. Leaves no tensors behind.
    /// </summary>
    /// <exception cref="ArgumentException">The logits do not have this batch's shape.</exception>
    public bool[] Judge(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        int rows = Targets.Count;
        if (logits.Dim is not (2 or 3) || logits.Size(0) != rows)
            throw new ArgumentException($"expected logits (B={rows}, T, V) from a language model or (B={rows}, C) from a classifier, got [{string.Join(", ", logits.Shape)}]", nameof(logits));
        var pairs = new long[rows * 2];
        var flatRows = new long[rows];
        long t = logits.Dim == 3 ? logits.Size(1) : 1;
        for (int r = 0; r < rows; r++)
        {
            var target = Targets[r];
            pairs[2 * r] = target.Correct;
            pairs[2 * r + 1] = target.Wrong;
            if (logits.Dim == 3 && (target.Position < 0 || target.Position >= t))
                throw new ArgumentException($"row {r} compares position {target.Position}, outside the logits' {t} positions; were these logits computed for this batch?", nameof(logits));
            flatRows[r] = r * t + Math.Max(0, target.Position);
        }
        float[] scores;
        using (new TensorScope())
        using (Torch.NoGrad())
        {
            var device = logits.Device;
            long v = logits.Size(logits.Dim - 1);
            var perRow = logits.Dim == 3
                ? logits.Reshape(rows * t, v).IndexSelect(0, Torch.From<long>(flatRows).To(device))
                : logits;
            var compared = perRow.Gather(1, Torch.From<long>(pairs, [rows, 2]).To(device));
            scores = compared.To(Device.Cpu, DType.Float32).ToArray<float>();
        }
        var correct = new bool[rows];
        for (int r = 0; r < rows; r++) correct[r] = scores[2 * r] > scores[2 * r + 1];
        return correct;
    }

    /// <summary>Releases the batch's tensors.</summary>
    public void Dispose() => Batch.Dispose();
}
