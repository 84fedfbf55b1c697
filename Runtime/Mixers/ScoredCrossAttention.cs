using System;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Utils;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Decoder-to-encoder attention with a chosen score and distribution function (MIXERS.md §1; Bahdanau's
/// additive attention was born here): queries from the target through <c>q_proj</c> (C → C), keys and
/// values from the memory through <c>kv_proj</c> (C → 2C, [K | V]), o = Σ_j g(f(q, k_j)) v_j per head, then
/// <c>out_proj</c>. The score functions, their parameters and the distributions are
/// <see cref="ScoredAttention"/>'s. Padded memory positions are hidden; a query whose whole memory is
/// padding outputs zeros before <c>out_proj</c>. Decoding projects the memory once into a
/// <see cref="CrossAttentionCache"/>.
/// </summary>
[MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = MixerNeeds.Heads, Cost = CostClass.Quadratic)]
public sealed class ScoredCrossAttention : nn.Module<Tensor, Tensor, Tensor?, Tensor>, IIncrementalCrossMixer<CrossAttentionCache>
{
    private static readonly MixerFacts Description = new("scored cross-attention", CausalCapable: true, AlignmentFree: true, MixerNeeds.Heads, CostClass.Quadratic);

    private readonly Linear _qProj;
    private readonly Linear _kvProj;
    private readonly Linear _outProj;
    private readonly double _dropout;
    [ComponentName(Name = "bilinear")] private Parameter? _bilinear;
    [ComponentName(Name = "score_vector")] private Parameter? _scoreVector;

    /// <summary>Creates the mixer; heads and attention dropout come from <paramref name="context"/>.</summary>
    /// <exception cref="ArgumentException">The heads do not divide the width, the score is location-based or unknown, or the distribution is hard or unknown.</exception>
    public ScoredCrossAttention(MixerContext context, ScoredCrossAttentionOptions options) : base(nameof(ScoredCrossAttention))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        Attention.CheckHeads(nameof(ScoredCrossAttention), context);
        ScoreFunctions.CheckKeyScore(nameof(ScoredCrossAttention), options.Score);
        ScoreFunctions.CheckDistribution(nameof(ScoredCrossAttention), options.Distribution);
        Width = context.Width;
        Heads = context.Heads;
        Score = options.Score;
        Distribution = options.Distribution;
        _dropout = context.AttentionDropout;
        register_module("q_proj", _qProj = new Linear(context.Module, Width, Width));
        register_module("kv_proj", _kvProj = new Linear(context.Module, Width, 2 * Width));
        register_module("out_proj", _outProj = new Linear(context.Module, Width, Width));
        var parameter = ScoreFunctions.Register(this, context.Module, Score, Heads, Width / Heads);
        if (Score == AttentionScore.General) _bilinear = parameter;
        if (Score == AttentionScore.Additive) _scoreVector = parameter;
    }

    /// <summary>Model channels C.</summary>
    public int Width { get; }

    /// <summary>Number of heads H.</summary>
    public int Heads { get; }

    /// <summary>The score function f.</summary>
    public AttentionScore Score { get; }

    /// <summary>The distribution function g.</summary>
    public AttentionDistribution Distribution { get; }

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    private Tensor? ScoreParameter => _bilinear ?? _scoreVector;

    /// <inheritdoc />
    public override Tensor forward(Tensor query, Tensor memory, Tensor? memoryPadding)
    {
        Attention.CheckSequence(nameof(ScoredCrossAttention), nameof(query), query, Width);
        CheckMemory(memory, memoryPadding);
        if (query.shape[0] != memory.shape[0])
            throw new ArgumentException($"ScoredCrossAttention needs as many queries as memories: batch {query.shape[0]} vs {memory.shape[0]}", nameof(memory));
        var kv = Attention.SplitHeads(_kvProj.forward(memory), 2, Heads);
        return Attend(query, kv[0], kv[1], memoryPadding?.view(memory.shape[0], 1, 1, memory.shape[1]));
    }

    /// <inheritdoc />
    public CrossAttentionCache NewState(Tensor memory, Tensor? memoryPadding)
    {
        CheckMemory(memory, memoryPadding);
        using var scope = NewDisposeScope();
        var kv = Attention.SplitHeads(_kvProj.forward(memory), 2, Heads);
        return new CrossAttentionCache(kv[0].contiguous(), kv[1].contiguous(), memoryPadding?.view(memory.shape[0], 1, 1, memory.shape[1]), memory.dtype);
    }

    /// <inheritdoc />
    public Tensor Step(Tensor query, CrossAttentionCache state)
    {
        ArgumentNullException.ThrowIfNull(state);
        MixerInput.CheckStep(nameof(ScoredCrossAttention), query, state.BatchSize, Width);
        return Attend(query, state.Keys, state.Values, state.Hidden);
    }

    private Tensor Attend(Tensor query, Tensor keys, Tensor values, Tensor? hidden)
    {
        var q = Attention.SplitHeads(_qProj.forward(query), Heads);
        var logits = ScoreFunctions.Logits(Score, q, keys, ScoreParameter);
        var heads = ScoreFunctions.Mix(Distribution, logits, values, hidden, rowsMayBeEmpty: hidden is not null, _dropout, training);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    private void CheckMemory(Tensor memory, Tensor? memoryPadding)
    {
        Attention.CheckSequence(nameof(ScoredCrossAttention), nameof(memory), memory, Width);
        Attention.CheckPadding(nameof(ScoredCrossAttention), nameof(memoryPadding), memoryPadding, memory);
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
