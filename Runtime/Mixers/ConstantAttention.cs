using System;
using Composer.Layers;
using Composer.Tensors;

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
public sealed class ConstantAttention : Module, IIncrementalMixer<PositionMixingCache>
{
    private static readonly MixerFacts StaticFacts = new("constant attention", CausalCapable: true, AlignmentFree: false,
        MixerNeeds.Heads | MixerNeeds.MaxLength, CostClass.Quadratic);

    private readonly ModuleContext _module;
    private readonly int _width, _heads, _headWidth, _maxLength;
    private readonly bool _causal;

    /// <summary>The value projection, C → C.</summary>
    public Linear VProj { get; }

    /// <summary>The output projection, C → C.</summary>
    public Linear OutProj { get; }

    /// <summary>Ā, (H, L_max, L_max): row i weights the positions j that position i mixes.</summary>
    public Tensor Matrix { get; }

    /// <summary>Creates the mixer with Ā set to uniform averaging.</summary>
    /// <exception cref="ArgumentException">The heads do not divide the width, or no MaxLength was declared.</exception>
    public ConstantAttention(MixerContext context, ConstantAttentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _module = context.Module;
        _width = context.Width;
        _heads = context.Heads;
        _headWidth = PositionMixing.HeadWidth(context, nameof(ConstantAttention));
        _maxLength = PositionMixing.MaxLength(context, nameof(ConstantAttention));
        _causal = context.Causal;
        VProj = RegisterModule("v_proj", new Linear(_module, _width, _width));
        OutProj = RegisterModule("out_proj", new Linear(_module, _width, _width));
        Matrix = RegisterBuffer("matrix", UniformAveraging());
    }

    /// <inheritdoc />
    public MixerFacts Facts => StaticFacts;

    private Tensor UniformAveraging()
    {
        using var scope = new TensorScope();
        var visible = Torch.Ones([_maxLength, _maxLength], _module.DType, _module.Device);
        if (_causal) visible = visible.Tril();
        var rows = visible / visible.Sum(-1, keepdim: true);
        return scope.Escape(rows.Unsqueeze(0).Repeat(_heads, 1, 1));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, T, C), or T exceeds MaxLength.</exception>
    public Tensor Forward(Tensor x, Tensor? padding)
    {
        var (batch, length) = PositionMixing.CheckInput(x, _width, _maxLength, nameof(ConstantAttention));
        var matrix = Matrix.Narrow(1, 0, length).Narrow(2, 0, length);          // (H, T, T)
        if (_causal) matrix = matrix.Tril();
        var values = VProj.Forward(PositionMixing.ZeroPadded(x, padding)).View(batch, length, _heads, _headWidth);
        Tensor mixed;
        if (padding is null)
        {
            // Every batch row sees the same matrix: normalise it once.
            mixed = Torch.Einsum("hij,bjhd->bihd", matrix / NonZero(matrix.Sum(-1, keepdim: true)), values);
        }
        else
        {
            var real = padding.LogicalNot().To(x.DType);                          // m, (B, T)
            var numerator = Torch.Einsum("hij,bjhd->bihd", matrix, values * real.View(batch, length, 1, 1));
            var denominator = Torch.Einsum("hij,bj->bih", matrix, real);         // (B, T, H)
            mixed = numerator / NonZero(denominator).Unsqueeze(-1);
        }
        var output = OutProj.Forward(mixed.Reshape(batch, length, _width));
        return PositionMixing.ZeroPadded(output, padding);
    }

    // A row that sums to 0 mixes nothing; dividing by 1 there keeps it 0 and its gradient finite.
    private static Tensor NonZero(Tensor total) => total.MaskedFill(total.Eq(0.0), 1.0);

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
        var values = state.Append(VProj.Forward(x));                               // (B, t+1, C)
        var row = Matrix.Select(1, t).Narrow(1, 0, t + 1);                          // row t of Ā, causal part
        var weights = row / NonZero(row.Sum(-1, keepdim: true));
        var mixed = Torch.Einsum("hj,bjhd->bhd", weights, values.View(state.BatchSize, t + 1, _heads, _headWidth));
        return OutProj.Forward(mixed.Reshape(state.BatchSize, 1, _width));
    }
}
