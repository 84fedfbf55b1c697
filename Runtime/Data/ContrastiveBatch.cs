using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

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
        long dims = logits.dim();
        if (dims is not (2 or 3) || logits.shape[0] != rows)
            throw new ArgumentException($"expected logits (B={rows}, T, V) from a language model or (B={rows}, C) from a classifier, got [{string.Join(", ", logits.shape)}]", nameof(logits));
        var pairs = new long[rows * 2];
        var flatRows = new long[rows];
        long t = dims == 3 ? logits.shape[1] : 1;
        for (int r = 0; r < rows; r++)
        {
            var target = Targets[r];
            pairs[2 * r] = target.Correct;
            pairs[2 * r + 1] = target.Wrong;
            if (dims == 3 && (target.Position < 0 || target.Position >= t))
                throw new ArgumentException($"row {r} compares position {target.Position}, outside the logits' {t} positions; were these logits computed for this batch?", nameof(logits));
            flatRows[r] = r * t + Math.Max(0, target.Position);
        }
        float[] scores;
        using (NewDisposeScope())
        using (no_grad())
        {
            var device = logits.device;
            long v = logits.shape[^1];
            var perRow = dims == 3
                ? logits.reshape(rows * t, v).index_select(0, tensor(flatRows).to(device))
                : logits;
            var compared = perRow.gather(1, tensor(pairs, [rows, 2]).to(device));
            scores = compared.to(ScalarType.Float32).cpu().data<float>().ToArray();
        }
        var correct = new bool[rows];
        for (int r = 0; r < rows; r++) correct[r] = scores[2 * r] > scores[2 * r + 1];
        return correct;
    }

    /// <summary>Releases the batch's tensors.</summary>
    public void Dispose() => Batch.Dispose();
}
