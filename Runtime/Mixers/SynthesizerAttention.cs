using System;
using Composer.Layers;
using Composer.Tensors;

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
public sealed class SynthesizerAttention : Module, IIncrementalMixer<PositionMixingCache>
{
    private static readonly MixerFacts StaticFacts = new("synthesizer attention", CausalCapable: true, AlignmentFree: false,
        MixerNeeds.Heads | MixerNeeds.MaxLength, CostClass.Quadratic);

    private readonly ModuleContext _module;
    private readonly int _width, _heads, _headWidth, _maxLength;
    private readonly bool _causal;
    private readonly Dropout _dropout;

    /// <summary>How the logits are produced.</summary>
    public SynthesizerKind Kind { get; }

    /// <summary>The learned logits (H, L_max, L_max) of a random synthesizer; null for dense.</summary>
    public Tensor? Logits { get; }

    /// <summary>First layer of the dense synthesizer, (H, C, C); null for random.</summary>
    public Tensor? W1 { get; }
    /// <summary>First-layer bias of the dense synthesizer, (H, C); null for random.</summary>
    public Tensor? B1 { get; }
    /// <summary>Second layer of the dense synthesizer, (H, L_max, C); null for random.</summary>
    public Tensor? W2 { get; }
    /// <summary>Second-layer bias of the dense synthesizer, (H, L_max); null for random.</summary>
    public Tensor? B2 { get; }

    /// <summary>The value projection, C → C.</summary>
    public Linear VProj { get; }

    /// <summary>The output projection, C → C.</summary>
    public Linear OutProj { get; }

    /// <summary>
    /// Creates the mixer. Random logits start as N(0, 0.02²), so attention starts near uniform; the dense
    /// layers start as <c>torch.nn.Linear</c> does, U(−1/√C, 1/√C).
    /// </summary>
    /// <exception cref="ArgumentException">The heads do not divide the width, no MaxLength was declared, or the kind is unknown.</exception>
    public SynthesizerAttention(MixerContext context, SynthesizerAttentionOptions options)
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
        double bound = 1.0 / Math.Sqrt(_width);
        switch (Kind)
        {
            case SynthesizerKind.Random:
                Logits = RegisterParameter("logits", Initialise.Normal(_module, [_heads, _maxLength, _maxLength], 0.02));
                break;
            case SynthesizerKind.Dense:
                W1 = RegisterParameter("w1", Initialise.Uniform(_module, [_heads, _width, _width], bound));
                B1 = RegisterParameter("b1", Initialise.Uniform(_module, [_heads, _width], bound));
                W2 = RegisterParameter("w2", Initialise.Uniform(_module, [_heads, _maxLength, _width], bound));
                B2 = RegisterParameter("b2", Initialise.Uniform(_module, [_heads, _maxLength], bound));
                break;
            default:
                throw new ArgumentException($"unknown synthesizer kind {Kind}; use SynthesizerKind.Random or SynthesizerKind.Dense", nameof(options));
        }
        VProj = RegisterModule("v_proj", new Linear(_module, _width, _width));
        OutProj = RegisterModule("out_proj", new Linear(_module, _width, _width));
        _dropout = RegisterModule("dropout", new Dropout(context.AttentionDropout));
    }

    /// <inheritdoc />
    public MixerFacts Facts => StaticFacts;

    /// <summary>Dense logits: (B, T, C) tokens → (B, H, T, <paramref name="keys"/>), each predicted row cut to its first entries.</summary>
    private Tensor DenseLogits(Tensor x, long keys)
    {
        var (batch, length) = (x.Size(0), x.Size(1));
        // One GEMM for the first layer of every head: row h·C + e of w1 viewed as (H·C, C) is w1[h, e].
        var hidden = Functional.Linear(x, W1!.View(_heads * _width, _width), B1!.View(_heads * _width)).Relu();
        var logits = Torch.Einsum("bthe,hle->bhtl", hidden.View(batch, length, _heads, _width), W2!.Narrow(1, 0, keys));
        return logits + B2!.Narrow(1, 0, keys).View(1, _heads, 1, keys);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, T, C), or T exceeds MaxLength.</exception>
    public Tensor Forward(Tensor x, Tensor? padding)
    {
        var (batch, length) = PositionMixing.CheckInput(x, _width, _maxLength, nameof(SynthesizerAttention));
        x = PositionMixing.ZeroPadded(x, padding);
        // Random logits are shared by the batch, (H, T, T), until a padding mask makes them per sequence.
        var logits = Kind == SynthesizerKind.Random ? PositionMixing.Leading(Logits!, length) : DenseLogits(x, length);
        double lowest = PositionMixing.Lowest(x.DType);
        if (_causal)
        {
            using var future = Torch.Ones([length, length], DType.Bool, x.Device).Triu(1);
            logits = logits.MaskedFill(future, lowest);
        }
        if (padding is not null) logits = logits.MaskedFill(padding.View(batch, 1, 1, length), lowest);
        var weights = _dropout.Forward(logits.Softmax(-1));
        var values = VProj.Forward(x).View(batch, length, _heads, _headWidth);
        var mixed = weights.Dim == 3
            ? Torch.Einsum("hij,bjhd->bihd", weights, values)
            : Torch.Einsum("bhij,bjhd->bihd", weights, values);
        var output = OutProj.Forward(mixed.Reshape(batch, length, _width));
        return PositionMixing.ZeroPadded(output, padding);
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
        var values = state.Append(VProj.Forward(x)).View(state.BatchSize, t + 1, _heads, _headWidth);
        Tensor mixed;
        if (Kind == SynthesizerKind.Random)
        {
            var weights = _dropout.Forward(Logits!.Select(1, t).Narrow(1, 0, t + 1).Softmax(-1));   // row t, (H, t+1)
            mixed = Torch.Einsum("hj,bjhd->bhd", weights, values);
        }
        else
        {
            var weights = _dropout.Forward(DenseLogits(x, t + 1).Select(2, 0).Softmax(-1));         // (B, H, t+1)
            mixed = Torch.Einsum("bhj,bjhd->bhd", weights, values);
        }
        return OutProj.Forward(mixed.Reshape(state.BatchSize, 1, _width));
    }
}
