using System;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Constant attention, the PAPA probe's replacement for input-dependent attention (MIXERS.md §7): each
/// head mixes the values with a fixed matrix over positions instead of softmax(QKᵀ),
/// <c>O = rownorm(Ā[:T, :T] ⊙ m mᵀ [⊙ tril]) · V</c>, where m marks real positions and a row whose
/// masked sum is 0 mixes nothing.
/// </summary>
/// <remarks>
/// <para>Parameters <c>v_proj</c> and <c>out_proj</c> (C → C); buffer <c>matrix</c> Ā (H, L_max, L_max), not
/// trained: PAPA computes it from a trained attention model and loads it with the checkpoint. It starts
/// as uniform averaging over the visible positions (all of them, or the causal prefix).</para>
/// <para>Masking and renormalising are folded into two products, so no (B, H, T, T) tensor is made:
/// <c>O_i = Σ_j Ā_ij m_j V_j / Σ_j Ā_ij m_j</c>; the output at padded positions is zero.</para>
/// <para>There is no attention dropout: Ā is a fixed probe matrix, not weights being learned.</para>
/// </remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.Heads | MixerNeeds.MaxLength, Cost = CostClass.Quadratic)]
public sealed class ConstantAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<PositionMixingCache>
{
    private static readonly MixerFacts StaticFacts = new("constant attention", CausalCapable: true, AlignmentFree: false,
        MixerNeeds.Heads | MixerNeeds.MaxLength, CostClass.Quadratic);

    private readonly ModuleContext _module;
    private readonly int _width, _heads, _headWidth, _maxLength;
    private readonly bool _causal;
    private readonly Linear _vProj;
    private readonly Linear _outProj;
    [ComponentName(Name = "matrix")] private Tensor _matrix;

    /// <summary>The value projection, C → C.</summary>
    public Linear VProj => _vProj;

    /// <summary>The output projection, C → C.</summary>
    public Linear OutProj => _outProj;

    /// <summary>Ā, (H, L_max, L_max): row i weights the positions j that position i mixes.</summary>
    public Tensor Matrix => _matrix;

    /// <summary>Creates the mixer with Ā set to uniform averaging.</summary>
    /// <exception cref="ArgumentException">The heads do not divide the width, or no MaxLength was declared.</exception>
    public ConstantAttention(MixerContext context, ConstantAttentionOptions options) : base(nameof(ConstantAttention))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _module = context.Module;
        _width = context.Width;
        _heads = context.Heads;
        _headWidth = PositionMixing.HeadWidth(context, nameof(ConstantAttention));
        _maxLength = PositionMixing.MaxLength(context, nameof(ConstantAttention));
        _causal = context.Causal;
        register_module("v_proj", _vProj = new Linear(_module, _width, _width));
        register_module("out_proj", _outProj = new Linear(_module, _width, _width));
        _matrix = this.RegisterBuffer("matrix", UniformAveraging());
    }

    /// <inheritdoc />
    public MixerFacts Facts => StaticFacts;

    private Tensor UniformAveraging()
    {
        using var scope = NewDisposeScope();
        var visible = ones([_maxLength, _maxLength], _module.DType, _module.Device);
        if (_causal) visible = visible.tril();
        var rows = visible / visible.sum(-1, keepdim: true);
        return rows.unsqueeze(0).repeat(_heads, 1, 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, T, C), or T exceeds MaxLength.</exception>
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        var (batch, length) = PositionMixing.CheckInput(x, _width, _maxLength, nameof(ConstantAttention));
        var matrix = PositionMixing.Leading(_matrix, length);                       // (H, T, T)
        if (_causal) matrix = matrix.tril();
        var values = _vProj.forward(PositionMixing.ZeroPadded(x, padding)).view(batch, length, _heads, _headWidth);
        Tensor mixed;
        if (padding is null)
        {
            // Every batch row sees the same matrix: normalise it once (in place on tril's copy; Ā is not trained).
            var total = NonZero(matrix.sum(-1, keepdim: true));
            mixed = einsum("hij,bjhd->bihd", _causal ? matrix.div_(total) : matrix / total, values);
        }
        else
        {
            var real = padding.logical_not().to(x.dtype);                          // m, (B, T)
            var numerator = einsum("hij,bjhd->bihd", matrix, values * real.view(batch, length, 1, 1));
            var denominator = einsum("hij,bj->bih", matrix, real);                // (B, T, H)
            mixed = numerator / NonZero(denominator).unsqueeze(-1);
        }
        var output = _outProj.forward(mixed.reshape(batch, length, _width));
        return PositionMixing.ZeroPadded(output, padding);
    }

    private static readonly Scalar Zero = 0.0, One = 1.0;

    // A row that sums to 0 mixes nothing; dividing by 1 there keeps it 0 and its gradient finite.
    private static Tensor NonZero(Tensor total) => total.masked_fill(total.eq(Zero), One);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The mixer was not built causal, so stepping could not reproduce its Forward.</exception>
    public PositionMixingCache NewState(long batchSize)
    {
        if (!_causal)
            throw new InvalidOperationException("ConstantAttention decodes step by step only when built causal (MixerContext.Causal): its non-causal Forward mixes future positions");
        return new PositionMixingCache(_module, batchSize, _maxLength, _width);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, 1, C) for the state's B.</exception>
    /// <exception cref="InvalidOperationException">The state already holds MaxLength positions.</exception>
    public Tensor Step(Tensor x, PositionMixingCache state)
    {
        ArgumentNullException.ThrowIfNull(state);
        PositionMixing.CheckStep(x, _width, state.BatchSize, nameof(ConstantAttention));
        long t = state.Length;
        var values = state.Append(_vProj.forward(x));                              // (B, t+1, C)
        var row = _matrix.select(1, t).narrow(1, 0, t + 1);                         // row t of Ā, causal part
        var weights = row / NonZero(row.sum(-1, keepdim: true));
        var mixed = einsum("hj,bjhd->bhd", weights, values.view(state.BatchSize, t + 1, _heads, _headWidth));
        return _outProj.forward(mixed.reshape(state.BatchSize, 1, _width));
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
