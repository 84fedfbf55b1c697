using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Dynamic convolution (MIXERS.md §3, Wu et al. 2019): lightweight convolution whose kernels are predicted
/// per position from that position's own input. <c>in_proj</c> maps C → 2C and a GLU halves it (or C → C
/// without GLU); <c>kernel_proj</c> (C → H·K, no bias; row h·K + k is head h, tap k) predicts the kernels,
/// which are softmax-normalised over their K taps and DropConnect-ed while training; <c>out_proj</c> maps
/// C → C: O[b, t, c] = Σ_k softmax_k(X_t W_dyn)[h(c), k] · X[b, t + k − P_l, c].
/// Padding and decoding as in <see cref="LightweightConvolution"/>.
/// </summary>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.Heads | MixerNeeds.Kernel, Cost = CostClass.Window)]
public sealed class DynamicConvolution : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<ConvolutionWindow>, IMixingWeights
{
    private static readonly MixerFacts Description = new("dynamic convolution", CausalCapable: true, AlignmentFree: false, MixerNeeds.Heads | MixerNeeds.Kernel, CostClass.Window);

    private readonly MixerContext _context;
    private readonly Linear _inProj;
    private readonly Linear _kernelProj;
    private readonly Linear _outProj;

    /// <summary>Creates the mixer; heads, kernel width, causality and weight dropout come from <paramref name="context"/>.</summary>
    public DynamicConvolution(MixerContext context, DynamicConvolutionOptions options) : base(nameof(DynamicConvolution))
    {
        Convolution.CheckContext(nameof(DynamicConvolution), context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        Glu = options.Glu;
        WeightSoftmax = options.WeightSoftmax;
        int c = context.Width;
        register_module("in_proj", _inProj = new Linear(context.Module, c, Glu ? 2 * c : c));
        register_module("kernel_proj", _kernelProj = new Linear(context.Module, c, context.Heads * context.Kernel, bias: false));
        register_module("out_proj", _outProj = new Linear(context.Module, c, c));
    }

    /// <summary>Model channels C.</summary>
    public int Width => _context.Width;

    /// <summary>Number of heads H; each predicted kernel serves C/H contiguous channels.</summary>
    public int Heads => _context.Heads;

    /// <summary>Kernel width K.</summary>
    public int Kernel => _context.Kernel;

    /// <summary>True in a decoder: left padding K − 1, so position t sees positions t − K + 1 … t.</summary>
    public bool Causal => _context.Causal;

    /// <summary>Whether the input projection is C → 2C followed by a GLU.</summary>
    public bool Glu { get; }

    /// <summary>Whether the predicted kernels are softmax-normalised over their taps.</summary>
    public bool WeightSoftmax { get; }

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        MixerInput.CheckInput(nameof(DynamicConvolution), x, padding, Width);
        MixerInputs.Offer(this, x, padding);
        var h = Convolution.ProjectIn(_inProj, Glu, x, padding);
        var kernels = _kernelProj.forward(h).view(h.shape[0], h.shape[1], Heads, Kernel);
        var y = Convolution.PerPosition(h, Normalise(kernels, taps: -1), Convolution.PaddingSides(Kernel, Causal).Left);
        return _outProj.forward(y);
    }

    /// <inheritdoc />
    public string WeightsKind => "per-position kernel band";

    /// <summary>The kernel predicted at each position, laid out as row t of a (T, T) band matrix per head; zero at padded inputs.</summary>
    public Tensor MixingWeights(Tensor x, Tensor? padding)
    {
        MixerInput.CheckInput(nameof(DynamicConvolution), x, padding, Width);
        using var scope = NewDisposeScope();
        var h = Convolution.ProjectIn(_inProj, Glu, x, padding);
        var kernels = _kernelProj.forward(h).view(h.shape[0], h.shape[1], Heads, Kernel);
        var rows = Convolution.Normalise(kernels, WeightSoftmax, _context.WeightDropout, training: false, taps: -1).permute(0, 2, 1, 3);   // (B, H, T, K)
        var band = Convolution.BandMatrix(rows, Convolution.PaddingSides(Kernel, Causal).Left);
        return PositionMixing.WithoutPadded(band, padding, x.shape[0]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public ConvolutionWindow NewState(long batchSize)
    {
        MixerInput.CheckBatchSize(batchSize);
        if (!Causal)
            throw new InvalidOperationException("this DynamicConvolution is centred (built for an encoder), so it sees future positions and cannot decode step by step; build it with MixerContext.Causal = true");
        return new ConvolutionWindow(batchSize, Width, Heads, Kernel, _context.Module.DType, _context.Module.Device);
    }

    /// <inheritdoc />
    public Tensor Step(Tensor x, ConvolutionWindow state)
    {
        ArgumentNullException.ThrowIfNull(state);
        MixerInput.CheckStep(nameof(DynamicConvolution), x, state.BatchSize, Width);
        long b = x.shape[0];
        var h = Convolution.ProjectIn(_inProj, Glu, x, null);                                 // (B, 1, C)
        var window = state.Advance(h.view(b, Heads, Width / Heads, 1));                       // (B, H, R, K)
        // The step's kernels as (B, H, K, 1) taps straight from the projection, normalised over K.
        var taps = Normalise(_kernelProj.forward(h).view(b, Heads, Kernel, 1), taps: 2);
        return _outProj.forward(Convolution.Last(window, taps));
    }

    /// <summary>Kernels normalised over their taps (dimension <paramref name="taps"/>), DropConnect-ed while training.</summary>
    private Tensor Normalise(Tensor kernels, long taps) =>
        Convolution.Normalise(kernels, WeightSoftmax, _context.WeightDropout, training, taps, perExample: true);

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
