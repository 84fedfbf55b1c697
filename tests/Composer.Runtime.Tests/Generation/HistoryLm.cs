using System;
using System.Collections.Generic;
using Composer.Layers;
using Composer.Models;
using Composer.Tensors;

namespace Composer.Tests.Generation;

/// <summary>
/// A tiny language model whose next-token logits depend on the whole history through its state:
/// logits = Table[last token] + Bias[(sum of all tokens so far) mod V]. Beam search is only correct
/// with it if the state follows the beams (Reorder).
/// </summary>
internal sealed class HistoryLm : Module, ILanguageModel
{
    public const int V = 5;
    private readonly float[,] _table = new float[V, V];
    private readonly float[,] _bias = new float[V, V];
    private readonly Tensor _tableTensor;
    private readonly Tensor _biasTensor;

    public HistoryLm(int seed)
    {
        var random = new Random(seed);
        var table = new float[V * V];
        var bias = new float[V * V];
        for (int i = 0; i < V * V; i++)
        {
            table[i] = (float)(random.NextDouble() * 4 - 2);
            bias[i] = (float)(random.NextDouble() * 4 - 2);
            _table[i / V, i % V] = table[i];
            _bias[i / V, i % V] = bias[i];
        }
        _tableTensor = RegisterBuffer("table", Torch.From<float>(table, [V, V]));
        _biasTensor = RegisterBuffer("bias", Torch.From<float>(bias, [V, V]));
    }

    public ModelDescription Description { get; } = new("HistoryLm", ModelKind.LanguageModel, [], "0", 0, 0, []);
    public int Vocabulary => V;

    public Tensor Forward(Tensor tokens, Tensor? padding) => throw new NotSupportedException("the generation tests only step");

    public IDecodingState NewState(long batchSize) => new State(Torch.Zeros([batchSize], DType.Int64).Persist());

    public Tensor Step(Tensor token, IDecodingState state)
    {
        var s = (State)state;
        var flat = token.Reshape(-1);
        var sum = (s.Sum + flat).Persist();
        s.Sum.Dispose();
        s.Sum = sum;
        s.Position++;
        var logits = _tableTensor.IndexSelect(0, flat) + _biasTensor.IndexSelect(0, sum.Remainder(V));
        return logits.Unsqueeze(1);
    }

    /// <summary>The same model computed directly from a history, for brute-force expectations.</summary>
    public double[] LogProbs(IReadOnlyList<long> history)
    {
        long last = history[^1], sum = 0;
        foreach (var t in history) sum += t;
        var logits = new double[V];
        for (int v = 0; v < V; v++) logits[v] = _table[last, v] + _bias[sum % V, v];
        double max = logits[0];
        foreach (var l in logits) max = Math.Max(max, l);
        double z = 0;
        foreach (var l in logits) z += Math.Exp(l - max);
        for (int v = 0; v < V; v++) logits[v] = logits[v] - max - Math.Log(z);
        return logits;
    }

    private sealed class State(Tensor sum) : IDecodingState
    {
        public Tensor Sum = sum;
        public long Position { get; set; }

        public void Reorder(Tensor indices)
        {
            var reordered = Sum.IndexSelect(0, indices).Persist();
            Sum.Dispose();
            Sum = reordered;
        }

        public void Dispose() => Sum.Dispose();
    }
}
