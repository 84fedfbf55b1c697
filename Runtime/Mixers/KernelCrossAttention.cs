using System;
using Composer.Layers;
using Composer.Tensors;

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
public abstract class KernelCrossAttention : Module, IIncrementalCrossMixer<LinearAttentionState>
{
    private readonly string _name;
    private readonly Linear _qProj;
    private readonly Linear _kvProj;
    private readonly Linear _outProj;
    private readonly Func<Tensor, Tensor> _phi;

    private protected KernelCrossAttention(string name, MixerContext context, Func<Tensor, Tensor> phi, double epsilon)
    {
        KernelAttention.CheckContext(name, context);
        KernelAttention.CheckEpsilon(name, epsilon);
        (_name, _phi, Epsilon, Width, Heads) = (name, phi, epsilon, context.Width, context.Heads);
        _qProj = RegisterModule("q_proj", new Linear(context.Module, Width, Width));
        _kvProj = RegisterModule("kv_proj", new Linear(context.Module, Width, 2 * Width));
        _outProj = RegisterModule("out_proj", new Linear(context.Module, Width, Width));
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
    public Tensor Forward(Tensor query, Tensor memory, Tensor? memoryPadding)
    {
        MixerInput.CheckInput(_name, memory, memoryPadding, Width);
        MixerInput.CheckInput(_name, query, null, Width);
        if (query.Size(0) != memory.Size(0))
            throw new ArgumentException($"{_name} needs as many queries as memories: batch {query.Size(0)} vs {memory.Size(0)}", nameof(memory));
        var (s, z) = KernelAttention.MemorySums(_kvProj, Heads, _phi, memory, memoryPadding);
        return KernelAttention.CrossForward(_qProj, _outProj, Heads, _phi, Epsilon, query, s, z);
    }

    /// <inheritdoc />
    public LinearAttentionState NewState(Tensor memory, Tensor? memoryPadding)
    {
        MixerInput.CheckInput(_name, memory, memoryPadding, Width);
        var (s, z) = KernelAttention.MemorySums(_kvProj, Heads, _phi, memory, memoryPadding);
        return new LinearAttentionState(s, z);
    }

    /// <inheritdoc />
    public Tensor Step(Tensor query, LinearAttentionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        MixerInput.CheckStep(_name, query, state.BatchSize, Width);
        return KernelAttention.CrossForward(_qProj, _outProj, Heads, _phi, Epsilon, query, state.S, state.Z);
    }
}
