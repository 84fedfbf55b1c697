using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Models;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Generation;

/// <summary>One finished beam-search hypothesis.</summary>
/// <param name="Tokens">The generated tokens (prompt / BOS excluded; the stop token included when reached).</param>
/// <param name="Score">Sum of token log-probabilities.</param>
/// <param name="NormalizedScore">Score divided by length^lengthPenalty: what the hypotheses are ranked by.</param>
public sealed record Hypothesis(long[] Tokens, double Score, double NormalizedScore);

/// <summary>
/// Beam search over a model's incremental <c>Step</c>: K hypotheses per sequence, expanded by their
/// top continuations each step, with the decoding state reordered (<see cref="IDecodingState.Reorder"/>)
/// to follow the surviving beams, as fairseq does. Every step runs in its own dispose scope.
/// </summary>
public static class BeamSearch
{
    private static readonly Scalar One = 1;

    /// <summary>Beam search continuing one prompt per sequence; returns each sequence's hypotheses, best first.</summary>
    public static Hypothesis[][] Continue(ILanguageModel model, long[][] prompts, int beamSize, int maxNewTokens, long? stopToken = null, double lengthPenalty = 1.0)
    {
        SequenceGenerator.CheckPrompts(prompts);
        CheckBeam(beamSize, maxNewTokens);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var decoder = Decoder.For(model, prompts.Length);
        Tensor? logits = null;
        for (int t = 0; t < prompts[0].Length; t++)
        {
            using var step = NewDisposeScope();
            var next = decoder.Step(prompts.Select(p => p[t]).ToArray()).MoveToOuterDisposeScope();
            logits?.Dispose();
            logits = next;
        }
        return Search(decoder, logits!, prompts.Length, beamSize, maxNewTokens, stopToken, lengthPenalty);
    }

    /// <summary>Beam search translation from <paramref name="bos"/> to <paramref name="eos"/>; hypotheses per source, best first.</summary>
    public static Hypothesis[][] Translate(ISeq2SeqModel model, Tensor source, Tensor? sourcePadding, long bos, long eos, int beamSize, int maxLength, double lengthPenalty = 1.0)
    {
        CheckBeam(beamSize, maxLength);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var memory = model.Encode(source, sourcePadding);
        int batch = (int)source.shape[0];
        using var decoder = Decoder.For(model, memory, sourcePadding);
        var logits = decoder.Step(Enumerable.Repeat(bos, batch).ToArray());
        return Search(decoder, logits, batch, beamSize, maxLength, eos, lengthPenalty);
    }

    private static void CheckBeam(int beamSize, int maxTokens)
    {
        if (beamSize < 1) throw new ArgumentOutOfRangeException(nameof(beamSize), beamSize, "the beam size must be at least 1");
        if (maxTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "generate at least one token");
    }

    // Runs inside the caller's dispose scope, which owns the first logits; each step has its own.
    private static Hypothesis[][] Search(Decoder decoder, Tensor firstLogits, int batch, int beamSize, int maxTokens, long? stopToken, double lengthPenalty)
    {
        int k = beamSize;
        long vocabulary = firstLogits.shape[^1];
        // Every sequence starts as K copies of its state; only the first copy is live at first
        // (the others score −∞), so the first expansion does not pick K identical hypotheses.
        var copies = decoder.Indices(Enumerable.Range(0, batch).SelectMany(b => Enumerable.Repeat((long)b, k)).ToArray());
        decoder.State.Reorder(copies);
        var scores = new double[batch * k];
        for (int i = 0; i < scores.Length; i++) scores[i] = i % k == 0 ? 0 : double.NegativeInfinity;
        var histories = Enumerable.Range(0, batch * k).Select(_ => new List<long>()).ToArray();
        var finished = new bool[batch * k];
        Tensor logits = firstLogits.index_select(0, copies);

        for (int t = 0; t < maxTokens; t++)
        {
            using var step = NewDisposeScope();
            var logProbs = logits.to(ScalarType.Float32).log_softmax(-1);                 // (B·K, V)
            if (stopToken is long stop && finished.Any(f => f))
            {
                // A finished hypothesis may only repeat its stop token, at no cost: it keeps its score.
                var onlyStopRow = new float[vocabulary];
                Array.Fill(onlyStopRow, float.NegativeInfinity);
                onlyStopRow[stop] = 0;
                var frozen = tensor(finished, [batch * k, 1], device: logProbs.device);
                var onlyStop = tensor(onlyStopRow, [1, vocabulary], device: logProbs.device);
                logProbs = where(frozen, onlyStop, logProbs);
            }
            var total = logProbs.add(tensor(scores.Select(s => (float)s).ToArray(), [batch * k, 1], device: logProbs.device), One);
            var (best, index) = total.reshape(batch, k * vocabulary).topk(k, -1);         // (B, K)
            var bestScores = Readback.Array<float>(best);
            var bestIndex = Readback.Array<long>(index);

            var order = new long[batch * k];
            var tokens = new long[batch * k];
            var nextHistories = new List<long>[batch * k];
            var nextFinished = new bool[batch * k];
            for (int b = 0; b < batch; b++)
                for (int j = 0; j < k; j++)
                {
                    int slot = b * k + j;
                    long flat = bestIndex[slot];
                    int source = b * k + (int)(flat / vocabulary);
                    long token = flat % vocabulary;
                    order[slot] = source;
                    tokens[slot] = token;
                    scores[slot] = bestScores[slot];
                    nextFinished[slot] = finished[source] || stopToken == token;
                    nextHistories[slot] = finished[source] ? histories[source] : new List<long>(histories[source]) { token };
                }
            histories = nextHistories;
            finished = nextFinished;
            if (finished.All(f => f) || t == maxTokens - 1) break;
            decoder.State.Reorder(decoder.Indices(order));
            var next = decoder.Step(tokens).MoveToOuterDisposeScope();
            logits.Dispose();
            logits = next;
        }

        var results = new Hypothesis[batch][];
        for (int b = 0; b < batch; b++)
        {
            results[b] = Enumerable.Range(b * k, k)
                .Where(i => !double.IsNegativeInfinity(scores[i]))
                .Select(i => new Hypothesis(histories[i].ToArray(), scores[i], scores[i] / Math.Pow(Math.Max(histories[i].Count, 1), lengthPenalty)))
                .OrderByDescending(h => h.NormalizedScore)
                .ToArray();
        }
        return results;
    }
}
