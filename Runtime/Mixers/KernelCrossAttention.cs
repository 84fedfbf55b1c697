using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Linear or Taylor attention from a target sequence to an encoded memory (MIXERS.md §4–§5 with S ≠ T):
/// queries through <c>q_proj</c> (C → C), keys and values from the memory through <c>kv_proj</c> (C → 2C,
/// [K | V], H heads of D contiguous channels), heads merged by <c>out_proj</c> (C → C), as in
/// <see cref="CrossAttention"/>. The memory enters only through its sums S = Σ_s φ(K_s)ᵀ V_s and
/// z = Σ_s φ(K_s) (padded positions left out), so decoding computes them once into a
/// <see cref="LinearAttentionState"/> and each step costs O(F·D) whatever the memory's length.
/// </summary>
/// <remarks>The two public mixers differ only in φ; this base holds everything else.</remarks>
public abstract class KernelCrossAttention : nn.Module<Tensor, Tensor, Tensor?, Tensor>, IIncrementalCrossMixer<LinearAttentionState>, ICrossMixingWeights
{
    private readonly string _name;
    private readonly Linear _qProj;
    private readonly Linear _kvProj;
    private readonly Linear _outProj;
    private readonly FeatureMap? _map; // null: Taylor attention's [1; x/‖x‖]
    private readonly Scalar _epsilon;

    private protected KernelCrossAttention(string name, MixerContext context, FeatureMap? map, double epsilon) : base(name)
    {
        KernelAttention.CheckContext(name, context);
        KernelAttention.CheckEpsilon(name, epsilon);
        if (map is not null) KernelAttention.CheckFeatureMap(map.Value);
        (_name, _map, Epsilon, Width, Heads) = (name, map, epsilon, context.Width, context.Heads);
        _epsilon = epsilon;
        register_module("q_proj", _qProj = new Linear(context.Module, Width, Width));
        register_module("kv_proj", _kvProj = new Linear(context.Module, Width, 2 * Width));
        register_module("out_proj", _outProj = new Linear(context.Module, Width, Width));
    }

    /// <summary>Model channels C.</summary>
    public int Width { get; }

    /// <summary>Number of heads H.</summary>
    public int Heads { get; }

    /// <summary>ε of the normaliser.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public abstract MixerFacts Facts { get; }

    /// <inheritdoc />
    public string WeightsKind => "implied weights φ(q)·φ(k) / Σ";

    /// <inheritdoc />
    public Tensor MixingWeights(Tensor query, Tensor memory, Tensor? memoryPadding)
    {
        MixerInput.CheckInput(_name, memory, memoryPadding, Width);
        MixerInput.CheckInput(_name, query, null, Width);
        using var scope = NewDisposeScope();
        return KernelAttention.ImpliedCrossWeights(_qProj, _kvProj, Heads, _map, _epsilon, query, memory, memoryPadding).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor query, Tensor memory, Tensor? memoryPadding)
    {
        MixerInput.CheckInput(_name, memory, memoryPadding, Width);
        MixerInput.CheckInput(_name, query, null, Width);
        if (query.shape[0] != memory.shape[0])
            throw new ArgumentException($"{_name} needs as many queries as memories: batch {query.shape[0]} vs {memory.shape[0]}", nameof(memory));
        MixerInputs.Offer(this, query, memory, memoryPadding);
        var sums = KernelAttention.MemorySums(_kvProj, Heads, _map, _epsilon, memory, memoryPadding);
        return KernelAttention.CrossForward(_qProj, _outProj, Heads, _map, _epsilon, query, sums);
    }

    /// <inheritdoc />
    public LinearAttentionState NewState(Tensor memory, Tensor? memoryPadding)
    {
        MixerInput.CheckInput(_name, memory, memoryPadding, Width);
        return new LinearAttentionState(KernelAttention.MemorySums(_kvProj, Heads, _map, _epsilon, memory, memoryPadding));
    }

    /// <inheritdoc />
    public Tensor Step(Tensor query, LinearAttentionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        MixerInput.CheckStep(_name, query, state.BatchSize, Width);
        return KernelAttention.CrossForward(_qProj, _outProj, Heads, _map, _epsilon, query, state.Sums);
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _epsilon.Dispose();
        base.Dispose(disposing);
    }
}
