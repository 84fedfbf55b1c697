using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Multi-dimensional (feature-wise) attention (MIXERS.md §1, DiSAN, Shen et al. 2018): the score of query i
/// and key j is a vector with one logit per channel, f(q_i, k_j) = 5 tanh((q_i + k_j) / 5), and every channel
/// c normalises over the keys on its own: o_{i,c} = Σ_j softmax_j(f_c + M)_{ij} v_{j,c}; then <c>out_proj</c>.
/// Q, K and V come from one <c>qkv_proj</c> (C → 3C, [Q | K | V]); there are no heads (each channel is its
/// own). M hides padded keys and, in a decoder, the future; decoding keeps every key and value in a
/// <see cref="KeyValueCache"/> of one head of C channels.
/// </summary>
/// <remarks>
/// The scores are a (B, T, S, C) tensor, C / H times the (B, H, T, S) weights of softmax attention with H
/// heads: the most memory-hungry mixer Composer has, which the generator states for the declared sizes. The tanh
/// bound (DiSAN's c = 5) keeps the per-channel logits in [−5, 5]. A query that sees no key outputs zeros
/// before <c>out_proj</c>; attention dropout acts on the weights.
/// </remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.None, Cost = CostClass.Quadratic)]
public sealed class MultiDimensionalAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<KeyValueCache>
{
    private static readonly MixerFacts Description = new("multi-dimensional attention", CausalCapable: true, AlignmentFree: false, MixerNeeds.None, CostClass.Quadratic);

    /// <summary>DiSAN's bound on the per-channel logits: f = Bound · tanh(x / Bound).</summary>
    public const double Bound = 5.0;

    private static readonly Scalar BoundScalar = Bound, InverseBound = 1.0 / Bound;

    private readonly Linear _qkvProj;
    private readonly Linear _outProj;
    private readonly double _dropout;
    private readonly int _maxLength;

    /// <summary>Creates the mixer; causality and attention dropout come from <paramref name="context"/>.</summary>
    public MultiDimensionalAttention(MixerContext context, MultiDimensionalAttentionOptions options) : base(nameof(MultiDimensionalAttention))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.Width < 1)
            throw new ArgumentException($"MultiDimensionalAttention needs a positive width, got {context.Width}", nameof(context));
        Width = context.Width;
        Causal = context.Causal;
        _dropout = context.AttentionDropout;
        _maxLength = context.MaxLength;
        register_module("qkv_proj", _qkvProj = new Linear(context.Module, Width, 3 * Width));
        register_module("out_proj", _outProj = new Linear(context.Module, Width, Width));
    }

    /// <summary>Model channels C.</summary>
    public int Width { get; }

    /// <summary>Whether position t sees only positions ≤ t (a decoder layer).</summary>
    public bool Causal { get; }

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        Attention.CheckSequence(nameof(MultiDimensionalAttention), nameof(x), x, Width);
        Attention.CheckPadding(nameof(MultiDimensionalAttention), nameof(padding), padding, x);
        var qkv = _qkvProj.forward(x).chunk(3, -1);                             // (B, T, C) each
        long b = x.shape[0], t = x.shape[1];
        Tensor? hidden = Causal ? ones(t, t, ScalarType.Bool, x.device).triu(1).view(1, t, t, 1) : null;   // (1, T, S, 1)
        if (padding is not null)
        {
            var padded = padding.view(b, 1, t, 1);                                // (B, 1, S, 1)
            hidden = hidden is null ? padded : hidden.logical_or(padded);
        }
        return _outProj.forward(Mix(qkv[0], qkv[1], qkv[2], hidden, rowsMayBeEmpty: padding is not null));
    }

    /// <summary>
    /// o_i = Σ_j softmax_j(5 tanh((q_i + k_j)/5) + M)_{ij} ⊙ v_j for queries <paramref name="q"/> (B, T, C),
    /// keys and values (B, S, C); <paramref name="hidden"/> is (B or 1, T or 1, S, 1), true = hidden.
    /// </summary>
    private Tensor Mix(Tensor q, Tensor k, Tensor v, Tensor? hidden, bool rowsMayBeEmpty)
    {
        // tanh's backward needs its output, so the bound is applied out of place after it, and the mask
        // in place on that product (a product by a constant needs neither side for its backward).
        var scores = q.unsqueeze(2).add(k.unsqueeze(1)).mul_(InverseBound).tanh_().mul(BoundScalar);  // (B, T, S, C)
        if (hidden is not null) scores.masked_fill_(hidden, Attention.MaskValue(scores.dtype));
        var weights = scores.softmax(2);
        if (training && _dropout > 0) weights = nn.functional.dropout(weights, _dropout, training: true);
        var output = weights.mul(v.unsqueeze(1)).sum(2);                         // (B, T, C)
        if (hidden is not null && rowsMayBeEmpty)
            output = output.mul(hidden.sum(2).lt(hidden.shape[2]).to(output.dtype)); // (B or 1, T, 1)
        return output;
    }

    /// <inheritdoc />
    public KeyValueCache NewState(long batchSize) => KeyValueCache.ForMaxLength(batchSize, _maxLength);

    /// <inheritdoc />
    public Tensor Step(Tensor x, KeyValueCache state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!Causal)
            throw new InvalidOperationException("MultiDimensionalAttention was built for an encoder (not causal), so it cannot decode step by step");
        MixerInput.CheckStep(nameof(MultiDimensionalAttention), x, state.BatchSize, Width);
        var qkv = _qkvProj.forward(x).chunk(3, -1);                             // (B, 1, C) each
        long b = x.shape[0];
        // The cache holds one head of C channels: (B, 1, t + 1, C).
        var (keys, values) = state.Append(qkv[1].view(b, 1, 1, Width), qkv[2].view(b, 1, 1, Width));
        return _outProj.forward(Mix(qkv[0], keys.squeeze(1), values.squeeze(1), hidden: null, rowsMayBeEmpty: false));
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
