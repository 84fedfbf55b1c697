using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Decoder-to-encoder attention (MIXERS.md §0 with S ≠ T): queries from the target through <c>q_proj</c>
/// (C → C), keys and values from the encoder memory through <c>kv_proj</c> (C → 2C, output channels [K | V],
/// H heads of D contiguous channels each), heads merged by <c>out_proj</c>. Padded memory positions are
/// hidden; a query whose whole memory is padding outputs zeros before <c>out_proj</c>. Decoding projects the
/// memory once into a <see cref="CrossAttentionCache"/>, masks included, so a step is the query projection,
/// one fused attention and the output projection.
/// </summary>
[MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = MixerNeeds.Heads, Cost = CostClass.Quadratic)]
public sealed class CrossAttention : nn.Module<Tensor, Tensor, Tensor?, Tensor>, IIncrementalCrossMixer<CrossAttentionCache>, ICrossMixingWeights
{
    private static readonly MixerFacts Description = new("cross-attention", CausalCapable: true, AlignmentFree: true, MixerNeeds.Heads, CostClass.Quadratic);

    private readonly Linear _qProj;
    private readonly Linear _kvProj;
    private readonly Linear _outProj;
    private readonly double _dropout;

    /// <summary>Creates the mixer; heads and attention dropout come from <paramref name="context"/>.</summary>
    public CrossAttention(MixerContext context, CrossAttentionOptions options) : base(nameof(CrossAttention))
    {
        ArgumentNullException.ThrowIfNull(options);
        Attention.CheckHeads(nameof(CrossAttention), context);
        Width = context.Width;
        Heads = context.Heads;
        Sparsemax = options.Sparsemax;
        _dropout = context.AttentionDropout;
        register_module("q_proj", _qProj = new Linear(context.Module, Width, Width));
        register_module("kv_proj", _kvProj = new Linear(context.Module, Width, 2 * Width));
        register_module("out_proj", _outProj = new Linear(context.Module, Width, Width));
    }

    /// <summary>Model channels C.</summary>
    public int Width { get; }

    /// <summary>Number of heads H.</summary>
    public int Heads { get; }

    /// <summary>Whether scores are normalised with sparsemax rather than softmax.</summary>
    public bool Sparsemax { get; }

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    /// <inheritdoc />
    public override Tensor forward(Tensor query, Tensor memory, Tensor? memoryPadding)
    {
        Attention.CheckSequence(nameof(CrossAttention), nameof(query), query, Width);
        CheckMemory(memory, memoryPadding);
        if (query.shape[0] != memory.shape[0])
            throw new ArgumentException($"CrossAttention needs as many queries as memories: batch {query.shape[0]} vs {memory.shape[0]}", nameof(memory));
        MixerInputs.Offer(this, query, memory, memoryPadding);
        var kv = Attention.SplitHeads(_kvProj.forward(memory), 2, Heads);
        var hidden = memoryPadding?.view(memory.shape[0], 1, 1, memory.shape[1]);
        var q = Attention.SplitHeads(_qProj.forward(query), Heads);
        var heads = Attention.Attend(q, kv[0], kv[1], hidden, causal: false, rowsMayBeEmpty: hidden is not null, Sparsemax, _dropout, training);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <inheritdoc />
    public string WeightsKind => Sparsemax ? "sparsemax weights" : "softmax weights";

    /// <inheritdoc />
    public Tensor MixingWeights(Tensor query, Tensor memory, Tensor? memoryPadding)
    {
        Attention.CheckSequence(nameof(CrossAttention), nameof(query), query, Width);
        CheckMemory(memory, memoryPadding);
        using var scope = NewDisposeScope();
        var kv = Attention.SplitHeads(_kvProj.forward(memory), 2, Heads);
        var q = Attention.SplitHeads(_qProj.forward(query), Heads);
        var hidden = memoryPadding?.view(memory.shape[0], 1, 1, memory.shape[1]);
        return Attention.Weights(q, kv[0], hidden, Sparsemax).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public CrossAttentionCache NewState(Tensor memory, Tensor? memoryPadding)
    {
        CheckMemory(memory, memoryPadding);
        using var scope = NewDisposeScope();
        var kv = Attention.SplitHeads(_kvProj.forward(memory), 2, Heads);
        // Contiguous once here, rather than strided reads of the projection at every step.
        return new CrossAttentionCache(kv[0].contiguous(), kv[1].contiguous(), memoryPadding?.view(memory.shape[0], 1, 1, memory.shape[1]), memory.dtype);
    }

    /// <inheritdoc />
    public Tensor Step(Tensor query, CrossAttentionCache state)
    {
        ArgumentNullException.ThrowIfNull(state);
        MixerInput.CheckStep(nameof(CrossAttention), query, state.BatchSize, Width);
        var q = Attention.SplitHeads(_qProj.forward(query), Heads);
        var heads = Sparsemax
            ? Attention.Attend(q, state.Keys, state.Values, state.Hidden, causal: false, rowsMayBeEmpty: state.Hidden is not null, sparsemax: true, _dropout, training)
            : Attention.AttendMasked(q, state.Keys, state.Values, state.Bias, state.Visible, _dropout, training);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    private void CheckMemory(Tensor memory, Tensor? memoryPadding)
    {
        Attention.CheckSequence(nameof(CrossAttention), nameof(memory), memory, Width);
        Attention.CheckPadding(nameof(CrossAttention), nameof(memoryPadding), memoryPadding, memory);
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
