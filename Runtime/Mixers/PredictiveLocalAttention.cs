using System;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Utils;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Predictive local attention (MIXERS.md §1, Luong et al. 2015, "local-p"). Each position t predicts per head
/// a centre p_t from its input, g_t = σ(v_hᵀ tanh(W_p x_t)), attends with softmax to the keys s with
/// |s − p_t| ≤ Window, and multiplies the weights by exp(−(s − p_t)² / (2σ²)), σ = Window / 2:
/// o_t = Σ_s softmax_s(q_t·k_s/√D + M)_s · exp(−(s − p_t)²/(2σ²)) · v_s, then <c>out_proj</c>.
/// <list type="bullet">
/// <item>Encoder: p_t = first + (last − first) · g_t, anywhere between the first and the last real position of
/// its sequence (Luong's S · σ(…), on the positions that are not padding).</item>
/// <item>Decoder: p_t = t − Window · g_t, so the window [p_t − Window, p_t + Window], cut at t, lies within
/// the 2·Window positions before t: decoding keeps those in a <see cref="KeyValueCache"/> ring.</item>
/// </list>
/// Parameters: <c>qkv_proj</c> (C → 3C, [Q | K | V]) and <c>out_proj</c> as <see cref="SelfAttention"/>,
/// <c>centre_proj</c> (W_p, C → C, no bias) and <c>centre_vector</c> (v, (H, C)).
/// </summary>
/// <remarks>
/// Cost O(T·Window): each query gathers the 2·Window + 2 key slots from ⌊p_t⌋ − Window on, which cover every
/// integer within Window of p_t, and masks those outside the window, the sequence, padding and the future.
/// The weights need not sum to 1 (the Gaussian scales them), as in Luong's formulation. Gradients reach the
/// centre through the Gaussian; which keys fall in the window is piecewise constant in p_t. A query with no
/// key in its window outputs zeros before <c>out_proj</c>; attention dropout acts on the weights.
/// </remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.Heads | MixerNeeds.Window, Cost = CostClass.Window)]
public sealed class PredictiveLocalAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<KeyValueCache>
{
    private static readonly MixerFacts Description = new("predictive local attention", CausalCapable: true, AlignmentFree: false,
        MixerNeeds.Heads | MixerNeeds.Window, CostClass.Window);

    private readonly Linear _qkvProj;
    private readonly Linear _outProj;
    private readonly Linear _centreProj;
    [ComponentName(Name = "centre_vector")] private Parameter _centreVector;
    private readonly double _dropout;
    private readonly int _headWidth;

    /// <summary>Creates the mixer; heads, causality and attention dropout come from <paramref name="context"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is below 1.</exception>
    /// <exception cref="ArgumentException">The heads do not divide the width.</exception>
    public PredictiveLocalAttention(MixerContext context, PredictiveLocalAttentionOptions options) : base(nameof(PredictiveLocalAttention))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        // Checked before any parameter exists, which a throwing constructor would leave to the finalizer.
        if (options.Window < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Window, "PredictiveLocalAttention needs a window of at least 1 position");
        Attention.CheckHeads(nameof(PredictiveLocalAttention), context);
        Width = context.Width;
        Heads = context.Heads;
        Causal = context.Causal;
        Window = options.Window;
        _headWidth = Width / Heads;
        _dropout = context.AttentionDropout;
        register_module("qkv_proj", _qkvProj = new Linear(context.Module, Width, 3 * Width));
        register_module("out_proj", _outProj = new Linear(context.Module, Width, Width));
        register_module("centre_proj", _centreProj = new Linear(context.Module, Width, Width, bias: false));
        _centreVector = this.RegisterParameter("centre_vector", Initialise.Uniform(context.Module, [Heads, Width], 1.0 / Math.Sqrt(Width)));
    }

    /// <summary>Model channels C.</summary>
    public int Width { get; }

    /// <summary>Number of heads H.</summary>
    public int Heads { get; }

    /// <summary>Whether position t sees only positions ≤ t (a decoder layer).</summary>
    public bool Causal { get; }

    /// <summary>Half-width of the window around the predicted centre; σ of the Gaussian is half of it.</summary>
    public int Window { get; }

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    /// <summary>g = σ(v_hᵀ tanh(W_p x)) for <paramref name="x"/> (B, T, C): (B, H, T), in (0, 1).</summary>
    private Tensor Gate(Tensor x) => _centreProj.forward(x).tanh().matmul(_centreVector.t()).sigmoid().transpose(1, 2);

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        Attention.CheckSequence(nameof(PredictiveLocalAttention), nameof(x), x, Width);
        Attention.CheckPadding(nameof(PredictiveLocalAttention), nameof(padding), padding, x);
        var qkv = Attention.SplitHeads3(_qkvProj.forward(x), Heads);
        long b = x.shape[0], h = Heads, t = x.shape[1], d = _headWidth, slots = 2L * Window + 2;
        var device = x.device;
        var positions = arange(t, x.dtype, device);                                      // (T)
        var gate = Gate(x);                                                              // (B, H, T)
        Tensor centre;
        if (Causal)
        {
            centre = positions.view(1, 1, t) - gate * (double)Window;
        }
        else
        {
            var (first, last) = Span(padding, b, t, x.dtype, device);                   // (B, 1, 1) each
            centre = first + (last - first) * gate;
        }

        // Key slots ⌊p⌋ − W … ⌊p⌋ + W + 1: (B, H, T, slots), as positions that may lie outside the sequence.
        var slot = centre.detach().floor().to(ScalarType.Int64).unsqueeze(-1) + (arange(slots, ScalarType.Int64, device) - Window);
        var offset = slot.to(x.dtype) - centre.unsqueeze(-1);                           // s − p, differentiable in p
        var hidden = slot.lt(0).logical_or_(slot.ge(t)).logical_or_(offset.detach().abs().gt(Window));
        if (Causal) hidden.logical_or_(slot.gt(arange(t, ScalarType.Int64, device).view(1, 1, t, 1)));
        var index = slot.clamp(0, t - 1);
        if (padding is not null) hidden.logical_or_(padding.view(b, 1, 1, t).expand(b, h, t, t).gather(3, index));

        // Two ways to the same numbers. Dense: every query's scores against every key in one product,
        // the window's picked out, and its weights put back into a (T, T) matrix for one product with
        // the values. Gathered: each query's window of keys and values copied out as vectors, two
        // (B, H, T, slots, D) tensors. The dense (T, T) tensors are no larger than those while
        // T ≤ 2 · slots · D, and products beat gathers by far there (T = 4096, W = 128: 3.9 s gathered),
        // so the gathered way is for longer sequences only, where it keeps the cost O(T · W).
        bool dense = !GatheredWindows && t <= 2 * slots * d;
        Tensor logits;                                                                      // (B, H, T, slots)
        Tensor? values = null;
        if (dense)
        {
            logits = qkv[0].matmul(qkv[1].transpose(-2, -1)).gather(3, index);
        }
        else
        {
            var flat = index.reshape(b, h, t * slots, 1).expand(b, h, t * slots, d);
            var keys = qkv[1].gather(2, flat).view(b, h, t, slots, d);
            values = qkv[2].gather(2, flat).view(b, h, t, slots, d);
            logits = qkv[0].unsqueeze(3).matmul(keys.transpose(-2, -1)).squeeze(3);
        }
        var weights = Weights(logits, offset, hidden, rowsMayBeEmpty: true);                // (B, H, T, slots)
        // Hidden slots (outside the sequence, clamped onto its ends) carry weight 0, so adding them into
        // the dense matrix changes nothing.
        var heads = dense
            ? zeros([b, h, t, t], weights.dtype, device).scatter_add(3, index, weights).matmul(qkv[2])
            : weights.unsqueeze(-2).matmul(values!).squeeze(-2);                            // (B, H, T, D)
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <summary>
    /// Forces the gathered windows at every length (tests hold both ways to the same reference); by
    /// default sequences up to 2 · (2·Window + 2) · head width use dense scores.
    /// </summary>
    internal bool GatheredWindows { get; set; }

    /// <summary>
    /// The weights: softmax over the window's unhidden keys times the Gaussian of <paramref name="offset"/>
    /// (s − p), dropped out in training; a query whose every slot is hidden gets zeros.
    /// <paramref name="logits"/> (…, slots) are unscaled dot products, fresh (scaled and masked in place).
    /// </summary>
    private Tensor Weights(Tensor logits, Tensor offset, Tensor hidden, bool rowsMayBeEmpty)
    {
        logits = logits.mul_(1.0 / Math.Sqrt(_headWidth)).masked_fill_(hidden, Attention.MaskValue(logits.dtype));
        // exp(−(s − p)² / (2σ²)) with σ = W/2, i.e. exp(−2 (s − p)² / W²).
        var gaussian = offset.square().mul_(-2.0 / ((double)Window * Window)).exp_();
        var weights = logits.softmax(-1).mul(gaussian);
        if (rowsMayBeEmpty) weights = weights.mul(hidden.logical_not().any(-1, keepdim: true).to(weights.dtype));
        if (training && _dropout > 0) weights = nn.functional.dropout(weights, _dropout, training: true);
        return weights;
    }

    /// <summary>The first and last real position of each sequence, (B, 1, 1) each: 0 and T − 1 without padding.</summary>
    private static (Tensor First, Tensor Last) Span(Tensor? padding, long batch, long length, ScalarType dtype, Device device)
    {
        if (padding is null)
            return (zeros([batch, 1, 1], dtype, device), full([batch, 1, 1], length - 1, dtype, device));
        var positions = arange(length, ScalarType.Int64, device).view(1, length).expand(batch, length);
        var first = positions.masked_fill(padding, length).min(1).values;
        var last = positions.masked_fill(padding, -1).max(1).values;
        // A sequence of padding only: any centre, every key is hidden.
        last = last.maximum(first);
        return (first.to(dtype).view(batch, 1, 1), last.to(dtype).view(batch, 1, 1));
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The mixer was not built causal.</exception>
    public KeyValueCache NewState(long batchSize)
    {
        if (!Causal)
            throw new InvalidOperationException("PredictiveLocalAttention decodes step by step only when built causal (MixerContext.Causal): an encoder's centre may lie anywhere in the sequence");
        return new KeyValueCache(batchSize, capacity: 2 * Window + 1, window: 2 * Window);
    }

    /// <inheritdoc />
    public Tensor Step(Tensor x, KeyValueCache state)
    {
        ArgumentNullException.ThrowIfNull(state);
        MixerInput.CheckStep(nameof(PredictiveLocalAttention), x, state.BatchSize, Width);
        var qkv = Attention.SplitHeads3(_qkvProj.forward(x), Heads);
        var (keys, values) = state.Append(qkv[1], qkv[2]);                               // (B, H, n, D), ring order
        long t = state.Length - 1, n = keys.shape[2], ring = 2L * Window + 1;
        // Ring slot i holds the latest position ≡ i (mod ring) up to t.
        var slotPositions = new long[n];
        for (long i = 0; i < n; i++) slotPositions[i] = t - ((t - i) % ring + ring) % ring;
        var slot = tensor(slotPositions, device: x.device).to(x.dtype).view(1, 1, 1, n);
        var centre = (t - Gate(x) * (double)Window).unsqueeze(-1);                      // (B, H, 1, 1)
        var offset = slot - centre;                                                      // (B, H, 1, n)
        var hidden = offset.detach().abs().gt(Window);
        var logits = qkv[0].matmul(keys.transpose(-2, -1));                              // (B, H, 1, n)
        var heads = Weights(logits, offset, hidden, rowsMayBeEmpty: false).matmul(values);   // (B, H, 1, D)
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
