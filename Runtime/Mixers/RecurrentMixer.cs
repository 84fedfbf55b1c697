using System;
using Composer.Layers;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// A recurrent mixer: one LSTM or GRU layer, the classical baseline (MIXERS.md §11a), with the equations,
/// gate order and weights of <c>torch.nn.LSTM</c> / <c>torch.nn.GRU</c>. Unidirectional, hidden = C, it is causal; bidirectional
/// (encoders only) it runs C / 2 channels per direction and concatenates them, so the output stays C.
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
/// <para>Each direction runs through <see cref="RecurrentSequence"/>, whose backward is written out (TorchSharp
/// exposes no functional <c>torch.lstm</c>, and autograd through the steps is the slow path); a decoding step
/// is the cell's equations in a few ops, writing the state in place.</para>
/// </remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.None, Cost = CostClass.Linear)]
public sealed class RecurrentMixer : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<RecurrentState>
{
    private static readonly MixerFacts StaticFacts = new("recurrent (LSTM or GRU)", CausalCapable: true, AlignmentFree: false,
        MixerNeeds.None, CostClass.Linear);

    private readonly ModuleContext _module;
    private readonly int _width;
    private readonly Parameter[] _forward, _reverse;

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
        _forward = RegisterDirection("");
        _reverse = Bidirectional ? RegisterDirection("_reverse") : [];
    }

    /// <inheritdoc />
    public MixerFacts Facts => StaticFacts;

    // Parameters live in arrays, not named fields, so Module.to() cannot rebind them: build the mixer on
    // its device and dtype (MixerContext.Module), as Composer's generated models do.
    private Parameter[] RegisterDirection(string suffix)
    {
        int gates = (Cell == RecurrentCell.Lstm ? 4 : 3) * HiddenSize;
        double bound = 1.0 / Math.Sqrt(HiddenSize);
        return
        [
            this.RegisterParameter("weight_ih_l0" + suffix, Initialise.Uniform(_module, [gates, _width], bound)),
            this.RegisterParameter("weight_hh_l0" + suffix, Initialise.Uniform(_module, [gates, HiddenSize], bound)),
            this.RegisterParameter("bias_ih_l0" + suffix, Initialise.Uniform(_module, [gates], bound)),
            this.RegisterParameter("bias_hh_l0" + suffix, Initialise.Uniform(_module, [gates], bound)),
        ];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, T, C), or the padding not (B, T) bool.</exception>
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        MixerInput.CheckInput(nameof(RecurrentMixer), x, padding, _width);
        if (padding is null)
        {
            var left = Run(x, _forward);
            // Right to left: the time-reversed sequence, its outputs reversed back.
            return Bidirectional ? cat([left, Run(x.flip(1), _reverse).flip(1)], -1) : left;
        }
        x = PositionMixing.ZeroPadded(x, padding);
        var output = InReadingOrder(x, padding, rightToLeft: false, _forward);
        if (Bidirectional) output = cat([output, InReadingOrder(x, padding, rightToLeft: true, _reverse)], -1);
        return PositionMixing.ZeroPadded(output, padding);
    }

    /// <summary>
    /// Runs one direction over each sequence's real positions only: they are gathered to the front in
    /// reading order (left to right, or right to left), the padded ones after them, and the outputs are
    /// scattered back to where their inputs came from.
    /// </summary>
    private Tensor InReadingOrder(Tensor x, Tensor padding, bool rightToLeft, Parameter[] weights)
    {
        var (batch, length) = (x.shape[0], x.shape[1]);
        // Sort key per position: real positions first (by t, or by T−1−t right to left), then padded ones.
        var time = arange(length, device: x.device).unsqueeze(0);
        var realKey = rightToLeft ? (length - 1) - time : time;
        var key = where(padding, time + length, realKey);
        var order = key.sort(1).Indices.unsqueeze(-1);                                             // (B, T, 1)
        var gathered = x.gather(1, order.expand(batch, length, _width));
        var y = Run(gathered, weights);
        var back = order.expand(batch, length, HiddenSize);
        return zeros([batch, length, HiddenSize], y.dtype, y.device).scatter(1, back, y);
    }

    private Tensor Run(Tensor x, Parameter[] weights)
    {
        var initial = zeros([x.shape[0], HiddenSize], x.dtype, x.device);
        return RecurrentSequence.Run(Cell, x, initial, Cell == RecurrentCell.Lstm ? initial : null, weights);
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
        long b = x.shape[0];
        Parameter wIh = _forward[0], wHh = _forward[1], bIh = _forward[2], bHh = _forward[3];
        var input = x.view(b, _width);
        Tensor h;
        if (Cell == RecurrentCell.Lstm)
        {
            var gates = addmm(bHh, state.Hidden, wHh.t(), 1, 1).add_(nn.functional.linear(input, wIh, bIh));   // [i f g o]
            var parts = gates.chunk(4, 1);
            var g = parts[2].tanh();
            gates.sigmoid_();                                                                             // i, f, o
            var c = parts[0].mul(g).addcmul_(parts[1], state.Cell!, One);
            h = c.tanh().mul_(parts[3]);
            state.Update(h, c);
        }
        else
        {
            var input3 = nn.functional.linear(input, wIh, bIh).chunk(3, 1);                               // [r z n]
            var hidden3 = addmm(bHh, state.Hidden, wHh.t(), 1, 1).chunk(3, 1);
            var r = input3[0].add_(hidden3[0]).sigmoid_();
            var z = input3[1].add_(hidden3[1]).sigmoid_();
            var n = input3[2].addcmul_(r, hidden3[2], One).tanh_();
            h = n.addcmul(z, state.Hidden.sub(n), One);
            state.Update(h, null);
        }
        return h.view(b, 1, HiddenSize);
    }

    private static readonly Scalar One = 1.0;

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
