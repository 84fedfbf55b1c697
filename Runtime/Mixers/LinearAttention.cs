using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Linear attention (MIXERS.md §4, Katharopoulos et al. 2020): exp(q·k) replaced by φ(q)·φ(k) with a
/// non-negative feature map, φ(x) = elu(x) + 1 or relu(x) + ε, so
/// O_t = φ(Q_t) Σ_s φ(K_s)ᵀ V_s / (φ(Q_t)·Σ_s φ(K_s) + ε), linear in T. <c>qkv_proj</c> (C → 3C, [Q | K | V],
/// H heads of D = C/H contiguous channels) and <c>out_proj</c> (C → C) as in softmax attention. In a decoder
/// the sums run over s ≤ t (chunked prefix sums); padded keys are zeroed. Decoding keeps the running sums
/// in a <see cref="LinearAttentionState"/>, constant in size. There are no attention weights, so
/// <see cref="MixerContext.AttentionDropout"/> does not apply.
/// </summary>
[MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = MixerNeeds.Heads, Cost = CostClass.Linear)]
public sealed class LinearAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<LinearAttentionState>, IMixingWeights
{
    private static readonly MixerFacts Description = new("linear attention", CausalCapable: true, AlignmentFree: true, MixerNeeds.Heads, CostClass.Linear);

    private readonly MixerContext _context;
    private readonly Linear _qkvProj;
    private readonly Linear _outProj;
    private readonly Scalar _epsilon;

    /// <summary>Creates the mixer; heads and causality come from <paramref name="context"/>.</summary>
    public LinearAttention(MixerContext context, LinearAttentionOptions options) : base(nameof(LinearAttention))
    {
        KernelAttention.CheckContext(nameof(LinearAttention), context);
        ArgumentNullException.ThrowIfNull(options);
        KernelAttention.CheckEpsilon(nameof(LinearAttention), options.Epsilon);
        _context = context;
        FeatureMap = KernelAttention.CheckFeatureMap(options.FeatureMap);
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

    /// <summary>The feature map φ.</summary>
    public FeatureMap FeatureMap { get; }

    /// <summary>ε of the normaliser (and of relu(x) + ε).</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        MixerInput.CheckInput(nameof(LinearAttention), x, padding, Width);
        MixerInputs.Offer(this, x, padding);
        return KernelAttention.Forward(_qkvProj, _outProj, Heads, Causal, FeatureMap, _epsilon, x, padding);
    }

    /// <inheritdoc />
    public string WeightsKind => "implied weights φ(q)·φ(k) / Σ";

    /// <inheritdoc />
    public Tensor MixingWeights(Tensor x, Tensor? padding)
    {
        MixerInput.CheckInput(nameof(LinearAttention), x, padding, Width);
        using var scope = NewDisposeScope();
        return KernelAttention.ImpliedWeights(_qkvProj, Heads, Causal, FeatureMap, _epsilon, x, padding).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public LinearAttentionState NewState(long batchSize)
    {
        MixerInput.CheckBatchSize(batchSize);
        if (!Causal)
            throw new InvalidOperationException("this LinearAttention is built for an encoder (every position sees every other), so it cannot decode step by step; build it with MixerContext.Causal = true");
        return KernelAttention.NewState(_context, batchSize, Width / Heads);
    }

    /// <inheritdoc />
    public Tensor Step(Tensor x, LinearAttentionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        MixerInput.CheckStep(nameof(LinearAttention), x, state.BatchSize, Width);
        return KernelAttention.Step(_qkvProj, _outProj, Heads, FeatureMap, _epsilon, x, state);
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
