using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Models;
using Composer.Tensors;

namespace Composer.Generation;

/// <summary>One finished beam-search hypothesis.</summary>
/// <param name="Tokens">The generated tokens (prompt / BOS excluded; the stop token included when reached).</param>
/// <param name="Score">Sum of token log-probabilities.</param>
/// <param name="NormalizedScore">Score divided by length^lengthPenalty: what the hypotheses are ranked by.</param>
public sealed record Hypothesis(long[] Tokens, double Score, double NormalizedScore);

/// <summary>
/// Beam search over a model's incremental <c>Step</c>: K hypotheses per sequence, expanded by their
/// top continuations each step, with the decoding state reordered (<see cref="IDecodingState.Reorder"/>)
/// to follow the surviving beams, as fairseq does.
/// </summary>
public static class BeamSearch
{
    /// <summary>Beam search continuing one prompt per sequence; returns each sequence's hypotheses, best first.</summary>
    public static Hypothesis[][] Continue(ILanguageModel model, long[][] prompts, int beamSize, int maxNewTokens, long? stopToken = null, double lengthPenalty = 1.0)
    {
        SequenceGenerator.CheckPrompts(prompts);
        CheckBeam(beamSize, maxNewTokens);
        using var noGrad = Torch.NoGrad();
        using var scope = new TensorScope();
        using var decoder = Decoder.For(model, prompts.Length);
        Tensor? logits = null;
        for (int t = 0; t < prompts[0].Length; t++)
            logits = decoder.Step(prompts.Select(p => p[t]).ToArray());
        return Search(decoder, logits!, prompts.Length, beamSize, maxNewTokens, stopToken, lengthPenalty);
    }

    /// <summary>Beam search translation from <paramref name="bos"/> to <paramref name="eos"/>; hypotheses per source, best first.</summary>
    public static Hypothesis[][] Translate(ISeq2SeqModel model, Tensor source, Tensor? sourcePadding, long bos, long eos, int beamSize, int maxLength, double lengthPenalty = 1.0)
    {
        CheckBeam(beamSize, maxLength);
        using var noGrad = Torch.NoGrad();
        using var scope = new TensorScope();
        var memory = model.Encode(source, sourcePadding);
        int batch = (int)source.Size(0);
        using var decoder = Decoder.For(model, memory, sourcePadding);
        var logits = decoder.Step(Enumerable.Repeat(bos, batch).ToArray());
        return Search(decoder, logits, batch, beamSize, maxLength, eos, lengthPenalty);
    }

    private static void CheckBeam(int beamSize, int maxTokens)
    {
        if (beamSize < 1) throw new ArgumentOutOfRangeException(nameof(beamSize), beamSize, "the beam size must be at least 1");
        if (maxTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "generate at least one token");
    }

    private static Hypothesis[][] Search(Decoder decoder, Tensor firstLogits, int batch, int beamSize, int maxTokens, long? stopToken, double lengthPenalty)
    {
        int k = beamSize;
        long vocabulary = firstLogits.Size(-1);
        // Every sequence starts as K copies of its state; only the first copy is live at first
        // (the others score −∞), so the first expansion does not pick K identical hypotheses.
        decoder.State.Reorder(Torch.From(Enumerable.Range(0, batch).SelectMany(b => Enumerable.Repeat((long)b, k)).ToArray()));
        var scores = new double[batch * k];
        for (int i = 0; i < scores.Length; i++) scores[i] = i % k == 0 ? 0 : double.NegativeInfinity;
        var histories = Enumerable.Range(0, batch * k).Select(_ => new List<long>()).ToArray();
        var finished = new bool[batch * k];
        Tensor logits = firstLogits.IndexSelect(0, Torch.From(Enumerable.Range(0, batch).SelectMany(b => Enumerable.Repeat((long)b, k)).ToArray()));

        for (int t = 0; t < maxTokens; t++)
        {
            using var step = new TensorScope();
            var logProbs = logits.To(DType.Float32).LogSoftmax(-1);                      // (B·K, V)
            if (stopToken is long stop && finished.Any(f => f))
            {
                // A finished hypothesis may only repeat its stop token, at no cost: it keeps its score.
                var frozen = Torch.From(finished, [batch * k, 1]);
                var onlyStop = Torch.Full([1, vocabulary], double.NegativeInfinity).Scatter(1, Torch.From<long>([stop], [1, 1]), 0.0);
                logProbs = Torch.Where(frozen, onlyStop, logProbs);
            }
            var total = logProbs + Torch.From(scores.Select(s => (float)s).ToArray(), [batch * k, 1]);
            var (best, index) = total.Reshape(batch, k * vocabulary).Topk(k, -1);        // (B, K)
            var bestScores = best.ToArray<float>();
            var bestIndex = index.ToArray<long>();

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
            decoder.State.Reorder(Torch.From(order));
            logits = step.Escape(decoder.Step(tokens));
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
