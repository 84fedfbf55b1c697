using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Taylor attention (MIXERS.md §5): the first-order expansion exp(q·k) ≈ 1 + q̂·k̂ of L2-normalised queries
/// and keys, which lies in [0, 2]. Since 1 + q̂·k̂ = φ(q)·φ(k) with φ(x) = [1; x/‖x‖] (F = D + 1), it is
/// <see cref="LinearAttention"/> with that feature map: the same projections, masks, chunked causal form
/// and <see cref="LinearAttentionState"/>. There are no attention weights, so
/// <see cref="MixerContext.AttentionDropout"/> does not apply.
/// </summary>
[MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = MixerNeeds.Heads, Cost = CostClass.Linear)]
public sealed class TaylorAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<LinearAttentionState>, IMixingWeights
{
    private static readonly MixerFacts Description = new("Taylor attention", CausalCapable: true, AlignmentFree: true, MixerNeeds.Heads, CostClass.Linear);

    private readonly MixerContext _context;
    private readonly Linear _qkvProj;
    private readonly Linear _outProj;
    private readonly Scalar _epsilon;

    /// <summary>Creates the mixer; heads and causality come from <paramref name="context"/>.</summary>
    public TaylorAttention(MixerContext context, TaylorAttentionOptions options) : base(nameof(TaylorAttention))
    {
        KernelAttention.CheckContext(nameof(TaylorAttention), context);
        ArgumentNullException.ThrowIfNull(options);
        KernelAttention.CheckEpsilon(nameof(TaylorAttention), options.Epsilon);
        _context = context;
        Epsilon = options.Epsilon;
        _epsilon = Epsilon;
        register_module("qkv_proj", _qkvProj = new Linear(context.Module, context.Width, 3 * context.Width));
        register_module("out_proj", _outProj = new Linear(context.Module, context.Width, context.Width));
    }

    /// <summary>Model channels C.</summary>
    public int Width => _context.Width;

    /// <summary>Number of heads H.</summary>
    public int Heads => _context.Heads;

    /// <summary>True in a decoder: position t attends to positions ≤ t.</summary>
    public bool Causal => _context.Causal;

    /// <summary>ε of the normaliser.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        MixerInput.CheckInput(nameof(TaylorAttention), x, padding, Width);
        MixerInputs.Offer(this, x, padding);
        return KernelAttention.Forward(_qkvProj, _outProj, Heads, Causal, null, _epsilon, x, padding);
    }

    /// <inheritdoc />
    public string WeightsKind => "implied weights φ(q)·φ(k) / Σ";

    /// <inheritdoc />
    public Tensor MixingWeights(Tensor x, Tensor? padding)
    {
        MixerInput.CheckInput(nameof(TaylorAttention), x, padding, Width);
        using var scope = NewDisposeScope();
        return KernelAttention.ImpliedWeights(_qkvProj, Heads, Causal, null, _epsilon, x, padding).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public LinearAttentionState NewState(long batchSize)
    {
        MixerInput.CheckBatchSize(batchSize);
        if (!Causal)
            throw new InvalidOperationException("this TaylorAttention is built for an encoder (every position sees every other), so it cannot decode step by step; build it with MixerContext.Causal = true");
        return KernelAttention.NewState(_context, batchSize, Width / Heads + 1);
    }

    /// <inheritdoc />
    public Tensor Step(Tensor x, LinearAttentionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        MixerInput.CheckStep(nameof(TaylorAttention), x, state.BatchSize, Width);
        return KernelAttention.Step(_qkvProj, _outProj, Heads, null, _epsilon, x, state);
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
