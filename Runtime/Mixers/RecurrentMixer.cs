using System;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Linear = Composer.Layers.Linear;

namespace Composer.Mixers;

/// <summary>
/// A recurrent mixer: one LSTM or GRU layer, the classical baseline (MIXERS.md §11a), with the equations,
/// gate order and weights of <c>torch.nn.LSTM</c> / <c>torch.nn.GRU</c>. Unidirectional, hidden = C, it is
/// causal; bidirectional (encoders only) it runs C / 2 channels per direction and concatenates them, so the
/// output stays C.
/// </summary>
/// <remarks>
/// <para>Parameters carry <c>torch.nn.LSTM</c>/<c>torch.nn.GRU</c>'s names — <c>weight_ih_l0</c>,
/// <c>weight_hh_l0</c>, <c>bias_ih_l0</c>, <c>bias_hh_l0</c>, and the same with <c>_reverse</c> — so their
/// state dicts exchange weights by name.</para>
/// <para>Padding: a padded sequence gives at its real positions exactly what the sequence without its
/// padded positions gives (and zero at padded positions), whether the padding is on the right, on the
/// left or in between. Each direction gathers every sequence's real positions to the front, in reading
/// order (reversed for the right-to-left direction), runs the recurrence, and scatters the outputs
/// back; the padded positions trail the real ones, so they cannot reach them in either direction.</para>
/// <para>How a direction runs was measured on libtorch 2.10 (see the port's report): an LSTM runs as
/// libtorch's own LSTM (TorchSharp's <c>nn.LSTM</c> module, whose four parameters are this mixer's own,
/// registered under the names above), about twice as fast forward and backward as backpropagation through
/// time written in C#; a GRU runs through <see cref="RecurrentSequence"/>, whose written-out backward beats
/// libtorch's GRU by 1.3–1.8×. A decoding step is the cell's equations in about a dozen ops (for the LSTM
/// 2.2× faster than libtorch's LSTM on one position), overwriting the state in place.</para>
/// </remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.None, Cost = CostClass.Linear)]
public sealed class RecurrentMixer : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<RecurrentState>
{
    private static readonly MixerFacts StaticFacts = new("recurrent (LSTM or GRU)", CausalCapable: true, AlignmentFree: false,
        MixerNeeds.None, CostClass.Linear);

    private static readonly string[] Names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"];
    private static readonly Scalar One = 1.0;

    private readonly ModuleContext _module;
    private readonly int _width;
    private readonly LSTM[] _lstms = [];       // per direction (LSTM only); not registered as a child: its parameters are registered as this mixer's own
    private readonly Parameter[][] _weights;    // per direction: weight_ih, weight_hh, bias_ih, bias_hh

    /// <summary>LSTM or GRU.</summary>
    public RecurrentCell Cell { get; }

    /// <summary>Whether a right-to-left recurrence runs too.</summary>
    public bool Bidirectional { get; }

    /// <summary>The hidden size per direction: C, or C / 2 when bidirectional.</summary>
    public int HiddenSize { get; }

    /// <summary>Creates the layer with <c>torch.nn.LSTM</c>'s initialisation, U(−1/√hidden, 1/√hidden) for every weight.</summary>
    /// <exception cref="ArgumentException">
    /// Bidirectional in a causal context (the right-to-left pass reads the future), bidirectional with an
    /// odd width, or an unknown cell.
    /// </exception>
    public RecurrentMixer(MixerContext context, RecurrentOptions options) : base(nameof(RecurrentMixer))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.Width < 1) throw new ArgumentException($"RecurrentMixer needs a positive width, got {context.Width}", nameof(context));
        if (options.Bidirectional && context.Causal)
            throw new ArgumentException("a bidirectional RecurrentMixer reads every sequence right to left, so it sees the future and cannot be causal: use it in an encoder, or set Bidirectional = false in a decoder", nameof(options));
        if (options.Bidirectional && context.Width % 2 != 0)
            throw new ArgumentException($"a bidirectional RecurrentMixer runs Width / 2 channels per direction, so the width must be even, not {context.Width}", nameof(context));
        if (options.Cell is not (RecurrentCell.Lstm or RecurrentCell.Gru))
            throw new ArgumentException($"unknown recurrent cell {options.Cell}; use RecurrentCell.Lstm or RecurrentCell.Gru", nameof(options));
        _module = context.Module;
        _width = context.Width;
        Cell = options.Cell;
        Bidirectional = options.Bidirectional;
        HiddenSize = Bidirectional ? _width / 2 : _width;
        int directions = Bidirectional ? 2 : 1;
        if (Cell == RecurrentCell.Lstm) _lstms = new LSTM[directions];
        _weights = new Parameter[directions][];
        for (int d = 0; d < directions; d++) _weights[d] = RegisterDirection(d);
    }

    /// <inheritdoc />
    public MixerFacts Facts => StaticFacts;

    private Parameter[] RegisterDirection(int direction)
    {
        string suffix = direction == 0 ? "" : "_reverse";
        Parameter[] weights;
        if (Cell == RecurrentCell.Lstm)
        {
            // libtorch's LSTM initialises its parameters as torch.nn.LSTM does; they become this mixer's.
            var lstm = _lstms[direction] = nn.LSTM(_width, HiddenSize, batchFirst: true, device: _module.Device, dtype: _module.DType);
            weights = Array.ConvertAll(Names, name => lstm.get_parameter(name)!);
            foreach (var weight in weights) weight.DetachFromDisposeScope();
            for (int i = 0; i < 4; i++) register_parameter(Names[i] + suffix, weights[i]);
            return weights;
        }
        int gates = 3 * HiddenSize;
        double bound = 1.0 / Math.Sqrt(HiddenSize);
        long[][] shapes = [[gates, _width], [gates, HiddenSize], [gates], [gates]];
        weights = new Parameter[4];
        for (int i = 0; i < 4; i++) weights[i] = this.RegisterParameter(Names[i] + suffix, Initialise.Uniform(_module, shapes[i], bound));
        return weights;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, T, C), or the padding not (B, T) bool.</exception>
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        MixerInput.CheckInput(nameof(RecurrentMixer), x, padding, _width);
        if (padding is null)
        {
            var left = Run(x, direction: 0);
            // Right to left: the time-reversed sequence, its outputs reversed back.
            return Bidirectional ? cat([left, Run(x.flip(1), direction: 1).flip(1)], -1) : left;
        }
        x = PositionMixing.ZeroPadded(x, padding);
        var output = InReadingOrder(x, padding, rightToLeft: false, direction: 0);
        if (Bidirectional) output = cat([output, InReadingOrder(x, padding, rightToLeft: true, direction: 1)], -1);
        return PositionMixing.ZeroPadded(output, padding);
    }

    /// <summary>
    /// Runs one direction over each sequence's real positions only: they are gathered to the front in
    /// reading order (left to right, or right to left), the padded ones after them, and the outputs are
    /// scattered back to where their inputs came from.
    /// </summary>
    private Tensor InReadingOrder(Tensor x, Tensor padding, bool rightToLeft, int direction)
    {
        var (batch, length) = (x.shape[0], x.shape[1]);
        // Sort key per position: real positions first (by t, or by T−1−t right to left), then padded ones.
        var time = arange(length, device: x.device).unsqueeze(0);
        var realKey = rightToLeft ? (length - 1) - time : time;
        var key = where(padding, time + length, realKey);
        var order = key.sort(1).Indices.unsqueeze(-1);                                             // (B, T, 1)
        var gathered = x.gather(1, order.expand(batch, length, _width));
        var y = Run(gathered, direction);
        var back = order.expand(batch, length, HiddenSize);
        return zeros([batch, length, HiddenSize], y.dtype, y.device).scatter(1, back, y);
    }

    /// <summary>One direction over whole sequences (B, T, C) from a zero state; returns (B, T, H).</summary>
    private Tensor Run(Tensor x, int direction)
    {
        if (Cell == RecurrentCell.Lstm)
        {
            if (is_grad_enabled() || x.device_type != DeviceType.CPU) return _lstms[direction].call(x, null).Item1;
            // Without gradients libtorch 2.10 runs oneDNN's inference LSTM kernel, which on AVX-512 CPUs
            // (measured on an AMD EPYC, family 26) returns wrong outputs for small hidden sizes: errors of
            // 0.1–0.3 at H = 4–8, against 5e-8 for the training kernel and float64 (H = 32 and 64 were
            // right). The training kernel runs whenever grad mode is on, so it is switched on for this
            // call and the recorded graph released at once.
            using (enable_grad())
            {
                var (output, hidden, cell) = _lstms[direction].call(x, null);
                using (output) using (hidden) using (cell) return output.detach();
            }
        }
        var initial = zeros([x.shape[0], HiddenSize], x.dtype, x.device);
        return RecurrentSequence.Run(x, initial, _weights[direction]);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The mixer is bidirectional, which cannot decode step by step.</exception>
    public RecurrentState NewState(long batchSize)
    {
        if (Bidirectional)
            throw new InvalidOperationException("a bidirectional RecurrentMixer cannot decode step by step: its right-to-left pass needs the whole sequence");
        MixerInput.CheckBatchSize(batchSize);
        return new RecurrentState(zeros([batchSize, HiddenSize], _module.DType, _module.Device),
            Cell == RecurrentCell.Lstm ? zeros([batchSize, HiddenSize], _module.DType, _module.Device) : null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, 1, C) for the state's B.</exception>
    public Tensor Step(Tensor x, RecurrentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Bidirectional)
            throw new InvalidOperationException("a bidirectional RecurrentMixer cannot decode step by step: its right-to-left pass needs the whole sequence");
        PositionMixing.CheckStep(x, _width, state.BatchSize, nameof(RecurrentMixer));
        Parameter wIh = _weights[0][0], wHh = _weights[0][1], bIh = _weights[0][2], bHh = _weights[0][3];
        long b = x.shape[0];
        // Decoding runs without gradients, and then the gates are computed in place on the projections'
        // chunks (fewer allocations); under autograd, in-place ops on chunk views are refused, so the
        // same equations run out of place.
        bool inPlace = !is_grad_enabled();
        if (Cell == RecurrentCell.Lstm)
        {
            // [i f g o] = x W_ih + b_ih + h W_hh + b_hh; c' = σ(f) c + σ(i) tanh(g); h' = σ(o) tanh(c').
            var projected = nn.functional.linear(x.view(b, _width), wIh, bIh);
            var gates = addmm(bHh, state.Hidden, wHh.t(), 1, 1);
            gates = inPlace ? gates.add_(projected, One) : gates.add(projected, One);
            var g = gates.chunk(4, 1)[2].tanh();
            var parts = (inPlace ? gates.sigmoid_() : gates.sigmoid()).chunk(4, 1);
            var c = parts[0].mul(g).addcmul_(parts[1], state.Cell!, One);
            var h = inPlace ? c.tanh().mul_(parts[3]) : c.tanh().mul(parts[3]);
            state.Update(h, c);
            return h.view(b, 1, HiddenSize);
        }
        // GRU: r, z = σ(x W_ir + b_ir + h W_hr + b_hr), …; n = tanh(x W_in + b_in + r (h W_hn + b_hn)); h' = n + z (h − n).
        var input3 = nn.functional.linear(x.view(b, _width), wIh, bIh).chunk(3, 1);
        var hidden3 = addmm(bHh, state.Hidden, wHh.t(), 1, 1).chunk(3, 1);
        var r = inPlace ? input3[0].add_(hidden3[0], One).sigmoid_() : input3[0].add(hidden3[0], One).sigmoid();
        var z = inPlace ? input3[1].add_(hidden3[1], One).sigmoid_() : input3[1].add(hidden3[1], One).sigmoid();
        var n = inPlace ? input3[2].addcmul_(r, hidden3[2], One).tanh_() : input3[2].addcmul(r, hidden3[2], One).tanh();
        var next = n.addcmul(z, state.Hidden.sub(n), One);
        state.Update(next, null);
        return next.view(b, 1, HiddenSize);
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }

    /// <summary>
    /// Moves the parameters with the module: libtorch's LSTM moves its own in place (the same parameter
    /// objects, new data), which are this mixer's; the GRU's are replaced by the base class, and picked up again.
    /// </summary>
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        foreach (var lstm in _lstms)
        {
            if (device is null) lstm.to(dtype!.Value, non_blocking);
            else if (dtype is null) lstm.to(device, non_blocking);
            else lstm.to(device, dtype.Value, non_blocking);
        }
        base._toEpilog(dtype, device, non_blocking);
        for (int d = 0; d < _weights.Length; d++)
            for (int i = 0; i < 4; i++)
                _weights[d][i] = get_parameter(Names[i] + (d == 0 ? "" : "_reverse"))!;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) foreach (var lstm in _lstms) lstm.Dispose();
    }
}
