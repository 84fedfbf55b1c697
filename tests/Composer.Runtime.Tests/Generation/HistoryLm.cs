using System;
using System.Collections.Generic;
using Composer.Layers;
using Composer.Models;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Composer.Tests.Generation;

/// <summary>
/// A tiny language model whose next-token logits depend on the whole history through its state:
/// logits = Table[last token] + Bias[(sum of all tokens so far) mod V]. Beam search is only correct
/// with it if the state follows the beams (Reorder).
/// </summary>
internal sealed class HistoryLm : nn.Module<Tensor, Tensor?, Tensor>, ILanguageModel
{
    public const int V = 5;
    private readonly float[,] _tableValues = new float[V, V];
    private readonly float[,] _biasValues = new float[V, V];
    [ComponentName(Name = "table")] private readonly Tensor _table;
    [ComponentName(Name = "bias")] private readonly Tensor _bias;

    public HistoryLm(int seed) : base(nameof(HistoryLm))
    {
        var random = new Random(seed);
        var table = new float[V * V];
        var bias = new float[V * V];
        for (int i = 0; i < V * V; i++)
        {
            table[i] = (float)(random.NextDouble() * 4 - 2);
            bias[i] = (float)(random.NextDouble() * 4 - 2);
            _tableValues[i / V, i % V] = table[i];
            _biasValues[i / V, i % V] = bias[i];
        }
        _table = this.RegisterBuffer("table", tensor(table, [V, V]));
        _bias = this.RegisterBuffer("bias", tensor(bias, [V, V]));
    }

    public ModelDescription Description { get; } = new("HistoryLm", ModelKind.LanguageModel, [], "0", 0, 0, []);
    public int Vocabulary => V;

    public override Tensor forward(Tensor tokens, Tensor? padding) => throw new NotSupportedException("the generation tests only step");

    public IDecodingState NewState(long batchSize) => new State(zeros([batchSize], ScalarType.Int64).DetachFromDisposeScope());

    public Tensor Step(Tensor token, IDecodingState state)
    {
        var s = (State)state;
        var flat = token.reshape(-1);
        var sum = (s.Sum + flat).DetachFromDisposeScope();
        s.Sum.Dispose();
        s.Sum = sum;
        s.Position++;
        var logits = _table.index_select(0, flat) + _bias.index_select(0, sum.remainder(V));
        return logits.unsqueeze(1);
    }

    protected override void RegisterComponents() { }

    /// <summary>The same model computed directly from a history, for brute-force expectations.</summary>
    public double[] LogProbs(IReadOnlyList<long> history)
    {
        long last = history[^1], sum = 0;
        foreach (var t in history) sum += t;
        var logits = new double[V];
        for (int v = 0; v < V; v++) logits[v] = _tableValues[last, v] + _biasValues[sum % V, v];
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
            var reordered = Sum.index_select(0, indices).DetachFromDisposeScope();
            Sum.Dispose();
            Sum = reordered;
        }

        public void Dispose() => Sum.Dispose();
    }
}
