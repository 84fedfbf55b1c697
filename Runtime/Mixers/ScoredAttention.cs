using System;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Utils;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Multi-head self-attention with a chosen score and distribution function (MIXERS.md §1):
/// o_t = Σ_j g(f(q_t, k_j) + M_tj) v_j per head, then <c>out_proj</c>, where f is
/// <list type="bullet">
/// <item><see cref="AttentionScore.Additive"/> (Bahdanau): w_hᵀ tanh(q + k), <c>score_vector</c> (H, D), computed in tiles of queries;</item>
/// <item><see cref="AttentionScore.General"/> (Luong): qᵀ W_h k, <c>bilinear</c> (H, D, D);</item>
/// <item><see cref="AttentionScore.Dot"/>: qᵀ k, unscaled; <see cref="AttentionScore.ScaledDot"/>: qᵀ k / √D;</item>
/// </list>
/// and g is softmax, the logistic sigmoid (independent weights, not normalised) or sparsemax. M hides padded
/// keys and, in a decoder, the future. Q, K and V come from one fused <c>qkv_proj</c> (C → 3C) as in
/// <see cref="SelfAttention"/>, whose parameters and heads this shares; decoding keeps a <see cref="KeyValueCache"/>.
/// </summary>
/// <remarks>A query that sees no key at all (every key padding) outputs zeros before <c>out_proj</c>.
/// Attention dropout (<see cref="MixerContext.AttentionDropout"/>) acts on the weights.</remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = MixerNeeds.Heads, Cost = CostClass.Quadratic)]
public sealed class ScoredAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<KeyValueCache>
{
    private static readonly MixerFacts Description = new("scored attention", CausalCapable: true, AlignmentFree: true, MixerNeeds.Heads, CostClass.Quadratic);

    private readonly Linear _qkvProj;
    private readonly Linear _outProj;
    private readonly double _dropout;
    private readonly int _maxLength;
    [ComponentName(Name = "bilinear")] private Parameter? _bilinear;
    [ComponentName(Name = "score_vector")] private Parameter? _scoreVector;

    /// <summary>Creates the mixer; heads, causality and attention dropout come from <paramref name="context"/>.</summary>
    /// <exception cref="ArgumentException">The heads do not divide the width, the score is location-based or unknown, or the distribution is hard or unknown.</exception>
    public ScoredAttention(MixerContext context, ScoredAttentionOptions options) : base(nameof(ScoredAttention))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        // Every check before the first parameter exists: a refused mixer leaves nothing to the finalizer.
        Attention.CheckHeads(nameof(ScoredAttention), context);
        ScoreFunctions.CheckKeyScore(nameof(ScoredAttention), options.Score);
        ScoreFunctions.CheckDistribution(nameof(ScoredAttention), options.Distribution);
        Width = context.Width;
        Heads = context.Heads;
        Causal = context.Causal;
        Score = options.Score;
        Distribution = options.Distribution;
        _dropout = context.AttentionDropout;
        _maxLength = context.MaxLength;
        register_module("qkv_proj", _qkvProj = new Linear(context.Module, Width, 3 * Width));
        register_module("out_proj", _outProj = new Linear(context.Module, Width, Width));
        var parameter = ScoreFunctions.Register(this, context.Module, Score, Heads, Width / Heads);
        if (Score == AttentionScore.General) _bilinear = parameter;
        if (Score == AttentionScore.Additive) _scoreVector = parameter;
    }

    /// <summary>Model channels C.</summary>
    public int Width { get; }

    /// <summary>Number of heads H.</summary>
    public int Heads { get; }

    /// <summary>Whether position t sees only positions ≤ t (a decoder layer).</summary>
    public bool Causal { get; }

    /// <summary>The score function f.</summary>
    public AttentionScore Score { get; }

    /// <summary>The distribution function g.</summary>
    public AttentionDistribution Distribution { get; }

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    private Tensor? ScoreParameter => _bilinear ?? _scoreVector;

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        Attention.CheckSequence(nameof(ScoredAttention), nameof(x), x, Width);
        Attention.CheckPadding(nameof(ScoredAttention), nameof(padding), padding, x);
        var qkv = Attention.SplitHeads3(_qkvProj.forward(x), Heads);
        long t = x.shape[1];
        Tensor? hidden = Causal ? ones(t, t, ScalarType.Bool, x.device).triu(1) : null;
        if (padding is not null)
        {
            var padded = padding.view(padding.shape[0], 1, 1, t);
            hidden = hidden is null ? padded : hidden.logical_or(padded);
        }
        var logits = ScoreFunctions.Logits(Score, qkv[0], qkv[1], ScoreParameter);
        var heads = ScoreFunctions.Mix(Distribution, logits, qkv[2], hidden, rowsMayBeEmpty: padding is not null, _dropout, training);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <inheritdoc />
    public KeyValueCache NewState(long batchSize) => KeyValueCache.ForMaxLength(batchSize, _maxLength);

    /// <inheritdoc />
    public Tensor Step(Tensor x, KeyValueCache state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!Causal)
            throw new InvalidOperationException("ScoredAttention was built for an encoder (not causal), so it cannot decode step by step");
        MixerInput.CheckStep(nameof(ScoredAttention), x, state.BatchSize, Width);
        var qkv = Attention.SplitHeads3(_qkvProj.forward(x), Heads);
        // The cache holds only positions the new one may see, so nothing is masked.
        var (keys, values) = state.Append(qkv[1], qkv[2]);
        var logits = ScoreFunctions.Logits(Score, qkv[0], keys, ScoreParameter);
        var heads = ScoreFunctions.Mix(Distribution, logits, values, hidden: null, rowsMayBeEmpty: false, _dropout, training);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
