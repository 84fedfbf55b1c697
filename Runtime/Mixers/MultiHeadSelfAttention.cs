using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// What softmax, sparsemax and local self-attention share (MIXERS.md §0): one fused projection
/// <c>qkv_proj</c> (C → 3C, output channels [Q | K | V], each split into H heads of D = C/H contiguous
/// channels), the heads' attention, and <c>out_proj</c> (C → C) over the concatenated heads. Decoding keeps a
/// <see cref="KeyValueCache"/>. The subclasses differ in which keys a query sees and how scores become weights.
/// </summary>
public abstract class MultiHeadSelfAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<KeyValueCache>, IMixingWeights
{
    private readonly Linear _qkvProj;
    private readonly Linear _outProj;
    private readonly double _dropout;
    private readonly bool _sparsemax;
    private readonly int _cacheWindow; // how many positions before the current one a decoding step sees (0: all)
    private readonly int _maxLength;

    private protected MultiHeadSelfAttention(MixerContext context, bool sparsemax, int cacheWindow = 0) : base("MultiHeadSelfAttention")
    {
        Attention.CheckHeads(GetType().Name, context);
        _cacheWindow = cacheWindow;
        _maxLength = context.MaxLength;
        Width = context.Width;
        Heads = context.Heads;
        Causal = context.Causal;
        _dropout = context.AttentionDropout;
        _sparsemax = sparsemax;
        register_module("qkv_proj", _qkvProj = new Linear(context.Module, Width, 3 * Width));
        register_module("out_proj", _outProj = new Linear(context.Module, Width, Width));
    }

    /// <summary>Model channels C.</summary>
    public int Width { get; }

    /// <summary>Number of heads H.</summary>
    public int Heads { get; }

    /// <summary>Whether position t sees only positions ≤ t (a decoder layer).</summary>
    public bool Causal { get; }

    /// <inheritdoc />
    public abstract MixerFacts Facts { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        Attention.CheckSequence(GetType().Name, nameof(x), x, Width);
        Attention.CheckPadding(GetType().Name, nameof(padding), padding, x);
        MixerInputs.Offer(this, x, padding);
        var qkv = Attention.SplitHeads3(_qkvProj.forward(x), Heads);
        return _outProj.forward(Attention.MergeHeads(Mix(qkv[0], qkv[1], qkv[2], padding)));
    }

    /// <summary>
    /// Attention of the heads over the whole sequence: q, k and v are (B, H, T, D); returns (B, H, T, D).
    /// Here every query sees every key except padded ones and, when causal, later ones.
    /// </summary>
    private protected virtual Tensor Mix(Tensor q, Tensor k, Tensor v, Tensor? padding)
    {
        if (padding is null) return Attend(q, k, v, hidden: null, causal: Causal, rowsMayBeEmpty: false);
        long t = q.shape[2];
        var hidden = padding.view(padding.shape[0], 1, 1, t);
        if (Causal) hidden = hidden.logical_or(ones(t, t, ScalarType.Bool, q.device).triu(1));
        return Attend(q, k, v, hidden, causal: false, rowsMayBeEmpty: true);
    }

    /// <summary>
    /// Attention from a pooled query sequence (B, T', C) to the sequence it was pooled from,
    /// <paramref name="x"/> (B, T, C) with <paramref name="padding"/> (B, T) or null: queries through the
    /// query rows of <c>qkv_proj</c>, keys and values through its key and value rows, so the layer keeps
    /// the parameters it has without pooling. What subclasses that are <see cref="IPooledQueryMixer"/> offer.
    /// </summary>
    private protected Tensor AttendFromPooled(Tensor query, Tensor x, Tensor? padding)
    {
        string name = GetType().Name;
        if (Causal)
            throw new InvalidOperationException($"{name} was built for a decoder (causal); pooled queries belong to Funnel encoders");
        Attention.CheckSequence(name, nameof(query), query, Width);
        Attention.CheckSequence(name, nameof(x), x, Width);
        if (query.shape[0] != x.shape[0])
            throw new ArgumentException($"{name} expects as many query sequences as key sequences, got {query.shape[0]} and {x.shape[0]}", nameof(query));
        Attention.CheckPadding(name, nameof(padding), padding, x);
        Tensor weight = _qkvProj.Weight;
        Tensor? bias = _qkvProj.Bias;
        var q = Attention.SplitHeads(nn.functional.linear(query, weight.narrow(0, 0, Width), bias?.narrow(0, 0, Width)), Heads);
        var kv = Attention.SplitHeads(nn.functional.linear(x, weight.narrow(0, Width, 2 * Width), bias?.narrow(0, Width, 2 * Width)), 2, Heads);
        var hidden = padding?.view(padding.shape[0], 1, 1, padding.shape[1]);
        var heads = Attend(q, kv[0], kv[1], hidden, causal: false, rowsMayBeEmpty: padding is not null);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <inheritdoc />
    public string WeightsKind => _sparsemax ? "sparsemax weights" : "softmax weights";

    /// <inheritdoc />
    public Tensor MixingWeights(Tensor x, Tensor? padding)
    {
        Attention.CheckSequence(GetType().Name, nameof(x), x, Width);
        Attention.CheckPadding(GetType().Name, nameof(padding), padding, x);
        using var scope = NewDisposeScope();
        var qkv = Attention.SplitHeads3(_qkvProj.forward(x), Heads);
        long t = x.shape[1];
        var hidden = HiddenKeys(t, x.device);
        if (padding is not null)
        {
            var padded = padding.view(padding.shape[0], 1, 1, t);
            hidden = hidden is null ? padded : hidden.logical_or(padded);
        }
        return Attention.Weights(qkv[0], qkv[1], hidden, _sparsemax).MoveToOuterDisposeScope();
    }

    /// <summary>The (T, T) keys a query may not see (true = hidden) besides padding, or null when it sees all: the future when causal.</summary>
    private protected virtual Tensor? HiddenKeys(long t, Device device) => Causal ? ones(t, t, ScalarType.Bool, device).triu(1) : null;

    /// <inheritdoc />
    public KeyValueCache NewState(long batchSize) => new(batchSize, _maxLength > 0 ? _maxLength : 256, _cacheWindow);

    /// <inheritdoc />
    public Tensor Step(Tensor x, KeyValueCache state)
    {
        if (!Causal)
            throw new InvalidOperationException($"{GetType().Name} was built for an encoder (not causal), so it cannot decode step by step");
        MixerInput.CheckStep(GetType().Name, x, state.BatchSize, Width);
        var qkv = Attention.SplitHeads3(_qkvProj.forward(x), Heads);
        // The cache holds only positions the new one may see, so nothing is masked.
        var (keys, values) = state.Append(qkv[1], qkv[2]);
        var heads = Attend(qkv[0], keys, values, hidden: null, causal: false, rowsMayBeEmpty: false);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <summary>Normalised, dropped-out attention of q over the keys; see <see cref="Attention.Attend"/>.</summary>
    private protected Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? hidden, bool causal, bool rowsMayBeEmpty) =>
        Attention.Attend(q, k, v, hidden, causal, rowsMayBeEmpty, _sparsemax, _dropout, training);

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
