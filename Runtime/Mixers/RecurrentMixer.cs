using System;
using Composer.Layers;
using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// A recurrent mixer: one LSTM or GRU layer through libtorch (<see cref="Torch.Lstm"/>, <see cref="Torch.Gru"/>),
/// the classical baseline (MIXERS.md §11a). Unidirectional, hidden = C, it is causal; bidirectional
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
/// </remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.None, Cost = CostClass.Linear)]
public sealed class RecurrentMixer : Module, IIncrementalMixer<RecurrentState>
{
    private static readonly MixerFacts StaticFacts = new("recurrent (LSTM or GRU)", CausalCapable: true, AlignmentFree: false,
        MixerNeeds.None, CostClass.Linear);

    private readonly ModuleContext _module;
    private readonly int _width;
    private readonly Tensor[] _forward, _reverse, _both;

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
    public RecurrentMixer(MixerContext context, RecurrentOptions options)
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
        _both = [.. _forward, .. _reverse];
    }

    /// <inheritdoc />
    public MixerFacts Facts => StaticFacts;

    private Tensor[] RegisterDirection(string suffix)
    {
        int gates = (Cell == RecurrentCell.Lstm ? 4 : 3) * HiddenSize;
        double bound = 1.0 / Math.Sqrt(HiddenSize);
        return
        [
            RegisterParameter("weight_ih_l0" + suffix, Initialise.Uniform(_module, [gates, _width], bound)),
            RegisterParameter("weight_hh_l0" + suffix, Initialise.Uniform(_module, [gates, HiddenSize], bound)),
            RegisterParameter("bias_ih_l0" + suffix, Initialise.Uniform(_module, [gates], bound)),
            RegisterParameter("bias_hh_l0" + suffix, Initialise.Uniform(_module, [gates], bound)),
        ];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, T, C).</exception>
    public Tensor Forward(Tensor x, Tensor? padding)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[2] != _width)
            throw new ArgumentException($"RecurrentMixer takes (B, T, {_width}) inputs, got [{string.Join(", ", shape)}]", nameof(x));
        // Unpadded: one libtorch call runs both directions.
        if (padding is null) return Run(x, _both, Bidirectional);
        x = PositionMixing.ZeroPadded(x, padding);
        var output = InReadingOrder(x, padding, rightToLeft: false, _forward);
        if (Bidirectional) output = Torch.Cat([output, InReadingOrder(x, padding, rightToLeft: true, _reverse)], -1);
        return PositionMixing.ZeroPadded(output, padding);
    }

    /// <summary>
    /// Runs one direction over each sequence's real positions only: they are gathered to the front in
    /// reading order (left to right, or right to left), the padded ones after them, and the outputs are
    /// scattered back to where their inputs came from.
    /// </summary>
    private Tensor InReadingOrder(Tensor x, Tensor padding, bool rightToLeft, Tensor[] weights)
    {
        var (batch, length) = (x.Size(0), x.Size(1));
        // Sort key per position: real positions first (by t, or by T−1−t right to left), then padded ones.
        var time = Torch.Arange(length, x.Device).Unsqueeze(0);
        var realKey = rightToLeft ? (length - 1) - time : time;
        var key = Torch.Where(padding, time + length, realKey);
        var order = key.Sort(1).Indices.Unsqueeze(-1);                                             // (B, T, 1)
        var gathered = x.Gather(1, order.Expand(batch, length, _width));
        var y = Run(gathered, weights, bidirectional: false);
        var back = order.Expand(batch, length, HiddenSize);
        return Torch.Zeros([batch, length, HiddenSize], y.DType, y.Device).Scatter(1, back, y);
    }

    private Tensor Run(Tensor x, Tensor[] weights, bool bidirectional)
    {
        if (!bidirectional)
        {
            // One direction: the fused sequence, whose backward costs a fraction of libtorch's.
            var zeros = Torch.Zeros([x.Size(0), HiddenSize], x.DType, x.Device);
            return RecurrentSequence.Run(Cell, x, zeros, zeros, weights);
        }
        var h0 = Torch.Zeros([bidirectional ? 2 : 1, x.Size(0), HiddenSize], x.DType, x.Device);
        return Cell == RecurrentCell.Lstm
            ? Torch.Lstm(x, h0, h0, weights, train: Training, bidirectional: bidirectional, batchFirst: true).Output
            : Torch.Gru(x, h0, weights, train: Training, bidirectional: bidirectional, batchFirst: true).Output;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The mixer is bidirectional, which cannot decode step by step.</exception>
    public RecurrentState NewState(long batchSize)
    {
        if (Bidirectional)
            throw new InvalidOperationException("a bidirectional RecurrentMixer cannot decode step by step: its right-to-left pass needs the whole sequence");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "a decoding state needs at least one sequence");
        var zeros = Torch.Zeros([batchSize, HiddenSize], _module.DType, _module.Device);
        return new RecurrentState(zeros, Cell == RecurrentCell.Lstm ? zeros.Clone() : null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, 1, C) for the state's B.</exception>
    public Tensor Step(Tensor x, RecurrentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Bidirectional)
            throw new InvalidOperationException("a bidirectional RecurrentMixer cannot decode step by step: its right-to-left pass needs the whole sequence");
        PositionMixing.CheckStep(x, _width, state.Hidden.Size(0), nameof(RecurrentMixer));
        if (Cell == RecurrentCell.Lstm)
        {
            var (y, h, c) = Torch.Lstm(x, state.Hidden.Unsqueeze(0), state.Cell!.Unsqueeze(0), _forward, train: Training, batchFirst: true);
            state.Update(h.Squeeze(0), c.Squeeze(0));
            return y;
        }
        else
        {
            var (y, h) = Torch.Gru(x, state.Hidden.Unsqueeze(0), _forward, train: Training, batchFirst: true);
            state.Update(h.Squeeze(0), null);
            return y;
        }
    }
}
