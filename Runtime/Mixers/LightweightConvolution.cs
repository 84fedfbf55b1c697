using System;
using Composer.Layers;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Lightweight convolution (MIXERS.md §2, Wu et al. 2019). <c>in_proj</c> maps C → 2C and a GLU halves it
/// (or C → C without GLU); each of H heads has one kernel <c>weight</c> (H, K), softmax-normalised over its
/// K taps and shared by C/H contiguous channels (channel c uses head c / (C/H)); DropConnect drops kernel
/// entries while training; <c>out_proj</c> maps C → C:
/// O[b, t, c] = Σ_k softmax_k(W)[h(c), k] · X[b, t + k − P_l, c].
/// Centred in an encoder (P_l = (K − 1)/2, the extra zero of an even K on the right), causal in a decoder
/// (P_l = K − 1). Padded timesteps are zeroed before the convolution. Decoding keeps the last K − 1
/// convolution inputs in a <see cref="ConvolutionWindow"/>.
/// </summary>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.Heads | MixerNeeds.Kernel, Cost = CostClass.Window)]
public sealed class LightweightConvolution : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<ConvolutionWindow>, IMixingWeights
{
    private static readonly MixerFacts Description = new("lightweight convolution", CausalCapable: true, AlignmentFree: false, MixerNeeds.Heads | MixerNeeds.Kernel, CostClass.Window);

    private readonly MixerContext _context;
    private readonly Linear _inProj;
    [ComponentName(Name = "weight")] private Parameter _weight;
    private readonly Linear _outProj;

    /// <summary>Creates the mixer; heads, kernel width, causality and weight dropout come from <paramref name="context"/>.</summary>
    public LightweightConvolution(MixerContext context, LightweightConvolutionOptions options) : base(nameof(LightweightConvolution))
    {
        Convolution.CheckContext(nameof(LightweightConvolution), context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        Glu = options.Glu;
        WeightSoftmax = options.WeightSoftmax;
        int c = context.Width, h = context.Heads, k = context.Kernel;
        register_module("in_proj", _inProj = new Linear(context.Module, c, Glu ? 2 * c : c));
        // fairseq's initialisation: Xavier-uniform of the (H, 1, K) kernel, fan in K, fan out H·K.
        _weight = this.RegisterParameter("weight", Initialise.Uniform(context.Module, [h, k], Math.Sqrt(6.0 / (k + h * k))));
        register_module("out_proj", _outProj = new Linear(context.Module, c, c));
    }

    /// <summary>The kernels before normalisation, (H, K).</summary>
    public Parameter Weight => _weight;

    /// <summary>Model channels C.</summary>
    public int Width => _context.Width;

    /// <summary>Number of heads H; each kernel serves C/H contiguous channels.</summary>
    public int Heads => _context.Heads;

    /// <summary>Kernel width K.</summary>
    public int Kernel => _context.Kernel;

    /// <summary>True in a decoder: left padding K − 1, so position t sees positions t − K + 1 … t.</summary>
    public bool Causal => _context.Causal;

    /// <summary>Whether the input projection is C → 2C followed by a GLU.</summary>
    public bool Glu { get; }

    /// <summary>Whether the kernels are softmax-normalised over their taps.</summary>
    public bool WeightSoftmax { get; }

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        MixerInput.CheckInput(nameof(LightweightConvolution), x, padding, Width);
        MixerInputs.Offer(this, x, padding);
        var h = Convolution.ProjectIn(_inProj, Glu, x, padding);
        var y = Convolution.Shared(h, Kernels(), Convolution.PaddingSides(Kernel, Causal).Left);
        return _outProj.forward(y);
    }

    /// <inheritdoc />
    public string WeightsKind => "kernel band";

    /// <summary>
    /// The normalised kernel of each head laid out as the (T, T) band it applies to the gated input:
    /// the same for every position (and every sequence of the batch), zero at padded inputs.
    /// </summary>
    public Tensor MixingWeights(Tensor x, Tensor? padding)
    {
        MixerInput.CheckInput(nameof(LightweightConvolution), x, padding, Width);
        using var scope = NewDisposeScope();
        long t = x.shape[1];
        var kernels = Convolution.Normalise(_weight, WeightSoftmax, _context.WeightDropout, training: false);   // (H, K)
        var rows = kernels.view(1, Heads, 1, Kernel).expand(1, Heads, t, Kernel);
        var band = Convolution.BandMatrix(rows, Convolution.PaddingSides(Kernel, Causal).Left);
        return PositionMixing.WithoutPadded(band, padding, x.shape[0]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public ConvolutionWindow NewState(long batchSize)
    {
        MixerInput.CheckBatchSize(batchSize);
        if (!Causal)
            throw new InvalidOperationException("this LightweightConvolution is centred (built for an encoder), so it sees future positions and cannot decode step by step; build it with MixerContext.Causal = true");
        return new ConvolutionWindow(batchSize, Width, Heads, Kernel, _context.Module.DType, _context.Module.Device);
    }

    /// <inheritdoc />
    public Tensor Step(Tensor x, ConvolutionWindow state)
    {
        ArgumentNullException.ThrowIfNull(state);
        MixerInput.CheckStep(nameof(LightweightConvolution), x, state.BatchSize, Width);
        var h = Convolution.ProjectIn(_inProj, Glu, x, null);                      // (B, 1, C)
        var window = state.Advance(h.view(x.shape[0], Heads, Width / Heads, 1));    // (B, H, R, K)
        var y = Convolution.Last(window, Kernels().view(Heads, Kernel, 1));
        return _outProj.forward(y);
    }

    /// <summary>The normalised kernels, (H, K).</summary>
    private Tensor Kernels() => Convolution.Normalise(_weight, WeightSoftmax, _context.WeightDropout, training);

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
