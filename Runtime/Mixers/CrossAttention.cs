using System;
using Composer.Layers;
using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// Decoder-to-encoder attention (MIXERS.md §0 with S ≠ T): queries from the target through <c>q_proj</c>
/// (C → C), keys and values from the encoder memory through <c>kv_proj</c> (C → 2C, output channels [K | V],
/// H heads of D contiguous channels each), heads merged by <c>out_proj</c>. Padded memory positions are
/// hidden; a query whose whole memory is padding outputs zeros before <c>out_proj</c>. Decoding projects the
/// memory once into a <see cref="CrossAttentionCache"/>.
/// </summary>
[MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = MixerNeeds.Heads, Cost = CostClass.Quadratic)]
public sealed class CrossAttention : Module, IIncrementalCrossMixer<CrossAttentionCache>
{
    private static readonly MixerFacts Description = new("cross-attention", CausalCapable: true, AlignmentFree: true, MixerNeeds.Heads, CostClass.Quadratic);

    private readonly Linear _qProj;
    private readonly Linear _kvProj;
    private readonly Linear _outProj;
    private readonly double _scale;
    private readonly double _dropout;

    /// <summary>Creates the mixer; heads and attention dropout come from <paramref name="context"/>.</summary>
    public CrossAttention(MixerContext context, CrossAttentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Attention.CheckHeads(nameof(CrossAttention), context);
        Width = context.Width;
        Heads = context.Heads;
        Sparsemax = options.Sparsemax;
        _dropout = context.AttentionDropout;
        _scale = 1.0 / Math.Sqrt(Width / Heads);
        _qProj = RegisterModule("q_proj", new Linear(context.Module, Width, Width));
        _kvProj = RegisterModule("kv_proj", new Linear(context.Module, Width, 2 * Width));
        _outProj = RegisterModule("out_proj", new Linear(context.Module, Width, Width));
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
    public Tensor Forward(Tensor query, Tensor memory, Tensor? memoryPadding)
    {
        Attention.CheckSequence(nameof(CrossAttention), nameof(query), query, Width);
        var (keys, values, hidden) = ProjectMemory(memory, memoryPadding);
        if (query.Size(0) != memory.Size(0))
            throw new ArgumentException($"CrossAttention needs as many queries as memories: batch {query.Size(0)} vs {memory.Size(0)}", nameof(memory));
        return Attend(query, keys, values, hidden);
    }

    /// <inheritdoc />
    public CrossAttentionCache NewState(Tensor memory, Tensor? memoryPadding)
    {
        var (keys, values, hidden) = ProjectMemory(memory, memoryPadding);
        return new CrossAttentionCache(keys, values, hidden);
    }

    /// <inheritdoc />
    public Tensor Step(Tensor query, CrossAttentionCache state)
    {
        Attention.CheckSequence(nameof(CrossAttention), nameof(query), query, Width);
        if (query.Size(0) != state.Keys.Size(0))
            throw new ArgumentException($"CrossAttention.Step got a batch of {query.Size(0)} queries for a state of {state.Keys.Size(0)} memories", nameof(query));
        return Attend(query, state.Keys, state.Values, state.Hidden);
    }

    /// <summary>Memory (B, S, C) → keys and values (B, H, S, D) and the padding as a key mask (B, 1, 1, S).</summary>
    private (Tensor Keys, Tensor Values, Tensor? Hidden) ProjectMemory(Tensor memory, Tensor? memoryPadding)
    {
        Attention.CheckSequence(nameof(CrossAttention), nameof(memory), memory, Width);
        Attention.CheckPadding(nameof(CrossAttention), nameof(memoryPadding), memoryPadding, memory);
        var kv = _kvProj.Forward(memory).Chunk(2, -1);
        return (Attention.SplitHeads(kv[0], Heads), Attention.SplitHeads(kv[1], Heads), memoryPadding?.View(memory.Size(0), 1, 1, memory.Size(1)));
    }

    private Tensor Attend(Tensor query, Tensor keys, Tensor values, Tensor? hidden)
    {
        var q = Attention.SplitHeads(_qProj.Forward(query), Heads) * _scale;
        var heads = Attention.Attend(q, keys.Transpose(-2, -1), values, hidden, rowsMayBeEmpty: hidden is not null, Sparsemax, _dropout, Training);
        return _outProj.Forward(Attention.MergeHeads(heads));
    }
}
