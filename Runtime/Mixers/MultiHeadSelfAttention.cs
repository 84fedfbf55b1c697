using System;
using System.Linq;
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
/// <remarks>
/// Two probes reach inside (MIXERS.md §7): <see cref="ConstantHeads"/>, heads replaced by constant matrices
/// (set through <see cref="SelfAttention.UseConstantHeads"/>), and <see cref="Tap"/>, which sees, and may
/// replace, the attention weights of every forward pass.
/// </remarks>
public abstract class MultiHeadSelfAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<KeyValueCache>, IMixingWeights
{
    private readonly Linear _qkvProj;
    private readonly Linear _outProj;
    private readonly double _dropout;
    private readonly bool _sparsemax;
    private readonly int _cacheWindow; // how many positions before the current one a decoding step sees (0: all)
    private readonly int _maxLength;
    private ConstantHeads? _constantHeads;

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

    /// <summary>L_max of the declaration (0 when none was declared).</summary>
    public int MaxLength => _maxLength;

    /// <summary>
    /// Sees the attention weights of every forward pass, (B, H, T, S) with hidden keys at 0, with the padding
    /// (B, T) or null, and returns the weights to apply (the same tensor, or a blend). While it is set the
    /// weights are computed explicitly rather than by the fused kernel. For the PAPA probe (Composer.Probing).
    /// </summary>
    internal Func<Tensor, Tensor?, Tensor>? Tap { get; set; }

    /// <summary>Where the parameters live now, and their dtype (a module may have moved since it was built).</summary>
    internal ModuleContext ParameterContext => new(_qkvProj.Weight.device, _qkvProj.Weight.dtype);

    /// <summary>The heads replaced by constant matrices, or null when every head attends.</summary>
    private protected ConstantHeads? Constant
    {
        get => _constantHeads;
        set
        {
            if (ReferenceEquals(value, _constantHeads)) return;
            var old = _constantHeads;
            register_module("constant_heads", null!);   // TorchSharp's way to remove a submodule
            _constantHeads = value;
            if (value is not null) register_module("constant_heads", value);
            old?.Dispose();
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        Attention.CheckSequence(GetType().Name, nameof(x), x, Width);
        Attention.CheckPadding(GetType().Name, nameof(padding), padding, x);
        MixerInputs.Offer(this, x, padding);
        if (_constantHeads is not null) return ForwardWithConstantHeads(x, padding, _constantHeads);
        if (Tap is not null) return ForwardTapped(x, padding, Tap);
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
        var weights = Attention.Weights(qkv[0], qkv[1], hidden, _sparsemax);
        if (_constantHeads is { } constant)
        {
            // Constant heads mix with their row-normalised, masked Ā, whatever their projections would score.
            var fixedWeights = ConstantHeads.Weights(constant.Matrix, t, padding, Causal).to(weights.dtype);
            var heads = tensor(constant.Constant.Select(h => (long)h).ToArray(), device: weights.device);
            weights.index_copy_(1, heads, fixedWeights.expand(weights.shape[0], -1, -1, -1));
        }
        return weights.MoveToOuterDisposeScope();
    }

    /// <summary>The (T, T) keys a query may not see (true = hidden) besides padding, or null when it sees all: the future when causal.</summary>
    private protected virtual Tensor? HiddenKeys(long t, Device device) => Causal ? ones(t, t, ScalarType.Bool, device).triu(1) : null;

    /// <inheritdoc />
    public KeyValueCache NewState(long batchSize) => KeyValueCache.ForMaxLength(batchSize, _maxLength, _cacheWindow);

    /// <inheritdoc />
    public Tensor Step(Tensor x, KeyValueCache state)
    {
        if (!Causal)
            throw new InvalidOperationException($"{GetType().Name} was built for an encoder (not causal), so it cannot decode step by step");
        MixerInput.CheckStep(GetType().Name, x, state.BatchSize, Width);
        if (_constantHeads is not null) return StepWithConstantHeads(x, state, _constantHeads);
        var qkv = Attention.SplitHeads3(_qkvProj.forward(x), Heads);
        // The cache holds only positions the new one may see, so nothing is masked.
        var (keys, values) = state.Append(qkv[1], qkv[2]);
        var heads = Attend(qkv[0], keys, values, hidden: null, causal: false, rowsMayBeEmpty: false);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <summary>
    /// The forward pass with some heads constant: only the rows of <c>qkv_proj</c> those heads need are
    /// computed (no queries or keys for constant heads), the dynamic heads attend as usual, the constant ones
    /// mix with Ā, and <c>out_proj</c> takes the heads in that order through the matching columns.
    /// </summary>
    private Tensor ForwardWithConstantHeads(Tensor x, Tensor? padding, ConstantHeads constant)
    {
        if (Tap is not null)
            throw new InvalidOperationException($"{GetType().Name} has constant heads and an attention tap at once; a probe sees the attention of a model without constant heads");
        var (dynamic, constantValues, projected) = ProjectForConstantHeads(x, constant);
        int d = Heads - constant.Constant.Count;
        Tensor heads = constant.Mix(constantValues, padding, Causal);
        if (d > 0) heads = cat([Mix(projected.narrow(1, 0, d), projected.narrow(1, d, d), dynamic, padding), heads], 1);
        return OutputOfReorderedHeads(heads, constant);
    }

    private Tensor StepWithConstantHeads(Tensor x, KeyValueCache state, ConstantHeads constant)
    {
        long position = state.Length;
        var (_, _, projected) = ProjectForConstantHeads(x, constant);
        int d = Heads - constant.Constant.Count;
        // The cache holds the dynamic heads' keys and every head's values, dynamic heads first.
        var (keys, values) = state.Append(projected.narrow(1, d, d), projected.narrow(1, 2 * d, Heads));
        Tensor heads = constant.Step(values.narrow(1, d, Heads - d), position);
        if (d > 0) heads = cat([Attend(projected.narrow(1, 0, d), keys, values.narrow(1, 0, d), hidden: null, causal: false, rowsMayBeEmpty: false), heads], 1);
        return OutputOfReorderedHeads(heads, constant);
    }

    // x (B, T, C) → the projected heads (B, 2·d + H, T, D) as [Q dyn | K dyn | V dyn | V const], with views
    // of the dynamic values (B, d, T, D) and the constant values (B, K, T, D).
    private (Tensor DynamicValues, Tensor ConstantValues, Tensor Projected) ProjectForConstantHeads(Tensor x, ConstantHeads constant)
    {
        long b = x.shape[0], t = x.shape[1];
        int d = Heads - constant.Constant.Count, headWidth = Width / Heads;
        var rows = constant.ProjectionRows;
        var bias = _qkvProj.Bias is null ? null : _qkvProj.Bias.index_select(0, rows);
        var projected = nn.functional.linear(x, _qkvProj.Weight.index_select(0, rows), bias)
            .view(b, t, 2 * d + Heads, headWidth).transpose(1, 2);
        return (projected.narrow(1, 2 * d, d), projected.narrow(1, 3 * d, Heads - d), projected);
    }

    private Tensor OutputOfReorderedHeads(Tensor heads, ConstantHeads constant) =>
        nn.functional.linear(Attention.MergeHeads(heads), _outProj.Weight.index_select(1, constant.OutputColumns), _outProj.Bias);

    /// <summary>
    /// The forward pass with explicit softmax weights handed to <see cref="Tap"/>: the same hidden keys as
    /// <see cref="Mix"/>, and a query that sees no key gets all-zero weights.
    /// </summary>
    private Tensor ForwardTapped(Tensor x, Tensor? padding, Func<Tensor, Tensor?, Tensor> tap)
    {
        var qkv = Attention.SplitHeads3(_qkvProj.forward(x), Heads);
        var (q, k, v) = (qkv[0], qkv[1], qkv[2]);
        long t = q.shape[2];
        Tensor? hidden = padding?.view(padding.shape[0], 1, 1, t);
        if (Causal)
        {
            var future = ones(t, t, ScalarType.Bool, q.device).triu(1);
            hidden = hidden is null ? future : hidden.logical_or(future);
        }
        var scores = q.matmul(k.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(q.shape[^1]));
        if (hidden is not null) scores.masked_fill_(hidden, Attention.MaskValue(scores.dtype));
        var weights = scores.softmax(-1);
        if (hidden is not null) weights = weights.mul(hidden.logical_not().any(-1, keepdim: true).to(weights.dtype));
        weights = tap(weights, padding);
        if (training && _dropout > 0) weights = nn.functional.dropout(weights, _dropout, training: true);
        return _outProj.forward(Attention.MergeHeads(weights.matmul(v)));
    }

    /// <summary>Normalised, dropped-out attention of q over the keys; see <see cref="Attention.Attend"/>.</summary>
    private protected Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? hidden, bool causal, bool rowsMayBeEmpty) =>
        Attention.Attend(q, k, v, hidden, causal, rowsMayBeEmpty, _sparsemax, _dropout, training);

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
