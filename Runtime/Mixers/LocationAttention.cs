using System;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Utils;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Location-based attention (MIXERS.md §1, Luong et al. 2015): each query scores the key positions from
/// itself alone, f_t = W_h q_t over positions j, then o_t = Σ_j g(f_tj + M_tj) v_j per head and
/// <c>out_proj</c>. Keys play no part, which makes it a synthesizer-like mixer (§6): Q and V come from one
/// <c>qv_proj</c> (C → 2C, [Q | V]), and <c>location</c> (H, L_max, D) holds W_h, row j scoring position j.
/// g is softmax, the sigmoid or sparsemax; M hides padded keys and, in a decoder, the future.
/// </summary>
/// <remarks>Decoding keeps the values only (<see cref="PositionMixingCache"/>): step t scores positions
/// 0 … t with rows 0 … t of W. A query that sees no key outputs zeros before <c>out_proj</c>.</remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.Heads | MixerNeeds.MaxLength, Cost = CostClass.Quadratic)]
public sealed class LocationAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<PositionMixingCache>
{
    private static readonly MixerFacts Description = new("location-based attention", CausalCapable: true, AlignmentFree: false,
        MixerNeeds.Heads | MixerNeeds.MaxLength, CostClass.Quadratic);

    private readonly ModuleContext _module;
    private readonly Linear _qvProj;
    private readonly Linear _outProj;
    private readonly double _dropout;
    private readonly int _maxLength;
    [ComponentName(Name = "location")] private Parameter _location;

    /// <summary>Creates the mixer; <c>location</c> starts as U(−1/√D, 1/√D), like a <c>Linear(D, L_max)</c>.</summary>
    /// <exception cref="ArgumentException">The heads do not divide the width, no MaxLength was declared, or the distribution is hard or unknown.</exception>
    public LocationAttention(MixerContext context, LocationAttentionOptions options) : base(nameof(LocationAttention))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        int headWidth = PositionMixing.HeadWidth(context, nameof(LocationAttention));
        _maxLength = PositionMixing.MaxLength(context, nameof(LocationAttention));
        ScoreFunctions.CheckDistribution(nameof(LocationAttention), options.Distribution);
        _module = context.Module;
        Width = context.Width;
        Heads = context.Heads;
        Causal = context.Causal;
        Distribution = options.Distribution;
        _dropout = context.AttentionDropout;
        register_module("qv_proj", _qvProj = new Linear(_module, Width, 2 * Width));
        register_module("out_proj", _outProj = new Linear(_module, Width, Width));
        _location = this.RegisterParameter("location", Initialise.Uniform(_module, [Heads, _maxLength, headWidth], 1.0 / Math.Sqrt(headWidth)));
    }

    /// <summary>Model channels C.</summary>
    public int Width { get; }

    /// <summary>Number of heads H.</summary>
    public int Heads { get; }

    /// <summary>Whether position t sees only positions ≤ t (a decoder layer).</summary>
    public bool Causal { get; }

    /// <summary>The distribution function g.</summary>
    public AttentionDistribution Distribution { get; }

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    // f = W_h q over the first `keys` positions: (B, H, T, D) · (H, keys, D) → (B, H, T, keys), a fresh tensor.
    private Tensor Logits(Tensor q, long keys)
    {
        var rows = keys == _maxLength ? (Tensor)_location : _location.narrow(1, 0, keys);
        return q.matmul(rows.transpose(-2, -1));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, T, C), or T exceeds MaxLength.</exception>
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        var (_, t) = PositionMixing.CheckInput(x, Width, _maxLength, nameof(LocationAttention));
        Attention.CheckPadding(nameof(LocationAttention), nameof(padding), padding, x);
        var qv = Attention.SplitHeads(_qvProj.forward(x), 2, Heads);
        Tensor? hidden = Causal ? ones(t, t, ScalarType.Bool, x.device).triu(1) : null;
        if (padding is not null)
        {
            var padded = padding.view(padding.shape[0], 1, 1, t);
            hidden = hidden is null ? padded : hidden.logical_or(padded);
        }
        var heads = ScoreFunctions.Mix(Distribution, Logits(qv[0], t), qv[1], hidden, rowsMayBeEmpty: padding is not null, _dropout, training);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The mixer was not built causal.</exception>
    public PositionMixingCache NewState(long batchSize)
    {
        if (!Causal)
            throw new InvalidOperationException("LocationAttention decodes step by step only when built causal (MixerContext.Causal): its non-causal Forward mixes future positions");
        return new PositionMixingCache(_module, batchSize, _maxLength, Width);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The state already holds MaxLength positions.</exception>
    public Tensor Step(Tensor x, PositionMixingCache state)
    {
        ArgumentNullException.ThrowIfNull(state);
        PositionMixing.CheckStep(x, Width, state.BatchSize, nameof(LocationAttention));
        var qv = _qvProj.forward(x);
        var q = Attention.SplitHeads(qv, 2, Heads)[0];
        var values = Attention.SplitHeads(state.Append(qv.narrow(2, Width, Width)), Heads);  // (B, H, t + 1, D)
        var heads = ScoreFunctions.Mix(Distribution, Logits(q, values.shape[2]), values, hidden: null, rowsMayBeEmpty: false, _dropout, training);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
