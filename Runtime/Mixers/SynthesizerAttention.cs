using System;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Utils;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Synthesizer attention (MIXERS.md §6, Tay et al. 2021): attention weights that never compare two
/// tokens. <c>O = softmax(logits[:T, :T] + masks) · V</c> per head, with
/// <list type="bullet">
/// <item><see cref="SynthesizerKind.Random"/>: <c>logits</c> (H, L_max, L_max), a learned matrix independent of the input;</item>
/// <item><see cref="SynthesizerKind.Dense"/>: each token predicts its own row, per head h
/// <c>logits_h(x_t) = w2[h] · relu(w1[h] · x_t + b1[h]) + b2[h]</c> with <c>w1</c> (H, C, C), <c>b1</c> (H, C),
/// <c>w2</c> (H, L_max, C), <c>b2</c> (H, L_max), the row cut to its first T entries.</item>
/// </list>
/// </summary>
/// <remarks>
/// Padded keys, and future keys when causal, are masked before the softmax (with the lowest finite
/// value, so a fully masked row cannot produce NaN); dropout (<see cref="MixerContext.AttentionDropout"/>)
/// acts on the weights; <c>v_proj</c> and <c>out_proj</c> are C → C. Decoding caches the values only:
/// step t reads row t of the logits matrix (random) or predicts it from x_t (dense). The output at
/// padded positions is zero.
/// </remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.Heads | MixerNeeds.MaxLength, Cost = CostClass.Quadratic)]
public sealed class SynthesizerAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<PositionMixingCache>, IMixingWeights
{
    private static readonly MixerFacts StaticFacts = new("synthesizer attention", CausalCapable: true, AlignmentFree: false,
        MixerNeeds.Heads | MixerNeeds.MaxLength, CostClass.Quadratic);

    private readonly ModuleContext _module;
    private readonly int _width, _heads, _headWidth, _maxLength;
    private readonly bool _causal;
    private readonly Dropout _dropout;
    private readonly Linear _vProj;
    private readonly Linear _outProj;
    [ComponentName(Name = "logits")] private Parameter? _logits;
    [ComponentName(Name = "w1")] private Parameter? _w1;
    [ComponentName(Name = "b1")] private Parameter? _b1;
    [ComponentName(Name = "w2")] private Parameter? _w2;
    [ComponentName(Name = "b2")] private Parameter? _b2;

    /// <summary>How the logits are produced.</summary>
    public SynthesizerKind Kind { get; }

    /// <summary>The learned logits (H, L_max, L_max) of a random synthesizer; null for dense.</summary>
    public Parameter? Logits => _logits;

    /// <summary>First layer of the dense synthesizer, (H, C, C); null for random.</summary>
    public Parameter? W1 => _w1;
    /// <summary>First-layer bias of the dense synthesizer, (H, C); null for random.</summary>
    public Parameter? B1 => _b1;
    /// <summary>Second layer of the dense synthesizer, (H, L_max, C); null for random.</summary>
    public Parameter? W2 => _w2;
    /// <summary>Second-layer bias of the dense synthesizer, (H, L_max); null for random.</summary>
    public Parameter? B2 => _b2;

    /// <summary>The value projection, C → C.</summary>
    public Linear VProj => _vProj;

    /// <summary>The output projection, C → C.</summary>
    public Linear OutProj => _outProj;

    /// <summary>
    /// Creates the mixer. Random logits start as N(0, 0.02²), so attention starts near uniform; the dense
    /// layers start as <c>torch.nn.Linear</c> does, U(−1/√C, 1/√C).
    /// </summary>
    /// <exception cref="ArgumentException">The heads do not divide the width, no MaxLength was declared, or the kind is unknown.</exception>
    public SynthesizerAttention(MixerContext context, SynthesizerAttentionOptions options) : base(nameof(SynthesizerAttention))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _module = context.Module;
        _width = context.Width;
        _heads = context.Heads;
        _headWidth = PositionMixing.HeadWidth(context, nameof(SynthesizerAttention));
        _maxLength = PositionMixing.MaxLength(context, nameof(SynthesizerAttention));
        _causal = context.Causal;
        Kind = options.Kind;
        if (Kind is not (SynthesizerKind.Random or SynthesizerKind.Dense))
            throw new ArgumentException($"unknown synthesizer kind {Kind}; use SynthesizerKind.Random or SynthesizerKind.Dense", nameof(options));
        double bound = 1.0 / Math.Sqrt(_width);
        switch (Kind)
        {
            case SynthesizerKind.Random:
                _logits = this.RegisterParameter("logits", Initialise.Normal(_module, [_heads, _maxLength, _maxLength], 0.02));
                break;
            default:
                _w1 = this.RegisterParameter("w1", Initialise.Uniform(_module, [_heads, _width, _width], bound));
                _b1 = this.RegisterParameter("b1", Initialise.Uniform(_module, [_heads, _width], bound));
                _w2 = this.RegisterParameter("w2", Initialise.Uniform(_module, [_heads, _maxLength, _width], bound));
                _b2 = this.RegisterParameter("b2", Initialise.Uniform(_module, [_heads, _maxLength], bound));
                break;
        }
        register_module("v_proj", _vProj = new Linear(_module, _width, _width));
        register_module("out_proj", _outProj = new Linear(_module, _width, _width));
        register_module("dropout", _dropout = new Dropout(context.AttentionDropout));
    }

    /// <inheritdoc />
    public MixerFacts Facts => StaticFacts;

    /// <summary>Dense logits: (B, T, C) tokens → (B, H, T, <paramref name="keys"/>), each predicted row cut to its first entries.</summary>
    private Tensor DenseLogits(Tensor x, long keys)
    {
        var (batch, length) = (x.shape[0], x.shape[1]);
        // One GEMM for the first layer of every head: row h·C + e of w1 viewed as (H·C, C) is w1[h, e].
        var hidden = nn.functional.linear(x, _w1!.view(_heads * _width, _width), _b1!.view(_heads * _width)).relu();
        // At keys = L_max the whole w2 and b2, not narrows whose backward would scatter into zeros.
        var w2 = keys == _maxLength ? _w2! : _w2!.narrow(1, 0, keys);
        var b2 = keys == _maxLength ? _b2! : _b2!.narrow(1, 0, keys);
        var logits = einsum("bthe,hle->bhtl", hidden.view(batch, length, _heads, _width), w2);
        return logits + b2.view(1, _heads, 1, keys);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, T, C), or T exceeds MaxLength.</exception>
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        var (batch, length) = PositionMixing.CheckInput(x, _width, _maxLength, nameof(SynthesizerAttention));
        MixerInputs.Offer(this, x, padding);
        x = PositionMixing.ZeroPadded(x, padding);
        // Random logits are shared by the batch, (H, T, T), until a padding mask makes them per sequence.
        var logits = Kind == SynthesizerKind.Random ? PositionMixing.Leading(_logits!, length) : DenseLogits(x, length);
        double lowest = PositionMixing.Lowest(x.dtype);
        if (_causal) logits = logits.masked_fill(ones([length, length], ScalarType.Bool, x.device).triu(1), lowest);
        if (padding is not null) logits = logits.masked_fill(padding.view(batch, 1, 1, length), lowest);
        var weights = _dropout.forward(logits.softmax(-1));
        var values = _vProj.forward(x).view(batch, length, _heads, _headWidth);
        var mixed = weights.dim() == 3
            ? einsum("hij,bjhd->bihd", weights, values)
            : einsum("bhij,bjhd->bihd", weights, values);
        var output = _outProj.forward(mixed.reshape(batch, length, _width));
        return PositionMixing.ZeroPadded(output, padding);
    }

    /// <inheritdoc />
    public string WeightsKind => Kind == SynthesizerKind.Random ? "learned logits, softmax" : "predicted logits, softmax";

    /// <inheritdoc />
    public Tensor MixingWeights(Tensor x, Tensor? padding)
    {
        var (batch, length) = PositionMixing.CheckInput(x, _width, _maxLength, nameof(SynthesizerAttention));
        using var scope = NewDisposeScope();
        x = PositionMixing.ZeroPadded(x, padding);
        var logits = Kind == SynthesizerKind.Random ? PositionMixing.Leading(_logits!, length).unsqueeze(0) : DenseLogits(x, length);
        double lowest = PositionMixing.Lowest(x.dtype);
        if (_causal) logits = logits.masked_fill(ones([length, length], ScalarType.Bool, x.device).triu(1), lowest);
        if (padding is not null) logits = logits.masked_fill(padding.view(batch, 1, 1, length), lowest);
        var weights = logits.softmax(-1);
        if (_causal) weights = weights.tril();   // exactly 0 where masked, as the softmax of the lowest finite logit is
        return PositionMixing.WithoutPadded(weights, padding, batch).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The mixer was not built causal, so stepping could not reproduce its Forward.</exception>
    public PositionMixingCache NewState(long batchSize)
    {
        if (!_causal)
            throw new InvalidOperationException("SynthesizerAttention decodes step by step only when built causal (MixerContext.Causal): its non-causal Forward mixes future positions");
        return new PositionMixingCache(_module, batchSize, _maxLength, _width);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, 1, C) for the state's B.</exception>
    /// <exception cref="InvalidOperationException">The state already holds MaxLength positions.</exception>
    public Tensor Step(Tensor x, PositionMixingCache state)
    {
        ArgumentNullException.ThrowIfNull(state);
        PositionMixing.CheckStep(x, _width, state.BatchSize, nameof(SynthesizerAttention));
        long t = state.Length;
        var values = state.Append(_vProj.forward(x)).view(state.BatchSize, t + 1, _heads, _headWidth);
        Tensor mixed;
        if (Kind == SynthesizerKind.Random)
        {
            var weights = _dropout.forward(_logits!.select(1, t).narrow(1, 0, t + 1).softmax(-1));  // row t, (H, t+1)
            mixed = einsum("hj,bjhd->bhd", weights, values);
        }
        else
        {
            var weights = _dropout.forward(DenseLogits(x, t + 1).select(2, 0).softmax(-1));        // (B, H, t+1)
            mixed = einsum("bhj,bjhd->bhd", weights, values);
        }
        return _outProj.forward(mixed.reshape(state.BatchSize, 1, _width));
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
