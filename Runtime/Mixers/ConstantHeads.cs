using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// The heads of a softmax self-attention layer that the PAPA probe replaced by constant matrices
/// (MIXERS.md §7, §7a): head h of <see cref="Constant"/> mixes its values with
/// <c>P = rownorm(Ā_h[:T, :T] ⊙ m mᵀ [⊙ tril])</c> instead of <c>softmax(Q Kᵀ/√D)</c>, and its queries and
/// keys are never computed. The other heads of the layer stay input-dependent. It lives under the
/// attention as its submodule <c>constant_heads</c> while in use (see <see cref="SelfAttention.UseConstantHeads"/>),
/// so a checkpoint of the layer carries it: buffers <c>heads</c> (int64 (K), the replaced heads in
/// ascending order) and <c>matrix</c> (K, L_max, L_max), Ā as PAPA computed it (not row-normalised).
/// </summary>
/// <remarks>
/// <para>The attention projects only what it needs: the query and key rows of the input-dependent heads
/// and the value rows of every head, in the order [Q of dynamic | K of dynamic | V of dynamic | V of
/// constant] (<see cref="ProjectionRows"/>), and it feeds the output projection the heads in that order
/// through the matching permutation of its input columns (<see cref="OutputColumns"/>), so no activation
/// is reordered.</para>
/// <para>Masking and renormalising are folded into two products, as in <see cref="ConstantAttention"/>:
/// <c>O_i = m_i · Σ_j Ā_ij m_j V_j / Σ_j Ā_ij m_j</c>, and a row with nothing to mix (a padded query, a
/// pair that never co-occurred in the data Ā came from) gives zeros.</para>
/// </remarks>
public sealed class ConstantHeads : nn.Module
{
    private static readonly Scalar Zero = 0.0, One = 1.0;

    [ComponentName(Name = "heads")] private Tensor _heads;
    [ComponentName(Name = "matrix")] private Tensor _matrix;
    [ComponentName(Name = "rows")] private Tensor _rows;
    [ComponentName(Name = "columns")] private Tensor _columns;

    /// <summary>
    /// Constant heads <paramref name="heads"/> (distinct, each in [0, <paramref name="totalHeads"/>)) of an
    /// attention with <paramref name="totalHeads"/> heads of <paramref name="headWidth"/> channels, mixing with
    /// <paramref name="matrix"/>, (K, L_max, L_max), one Ā per listed head in the order listed. The matrix is
    /// copied to <paramref name="context"/>'s device and dtype, and its rows are reordered with the heads.
    /// </summary>
    /// <exception cref="ArgumentException">No heads, a head out of range or listed twice, or a matrix of the wrong shape.</exception>
    public ConstantHeads(ModuleContext context, int totalHeads, int headWidth, int maxLength, IReadOnlyList<long> heads, Tensor matrix)
        : base(nameof(ConstantHeads))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentNullException.ThrowIfNull(matrix);
        if (heads.Count == 0) throw new ArgumentException("constant heads need at least one head to replace", nameof(heads));
        if (heads.Any(h => h < 0 || h >= totalHeads))
            throw new ArgumentException($"the attention has heads 0–{totalHeads - 1}, so it has no head {heads.First(h => h < 0 || h >= totalHeads)}", nameof(heads));
        if (heads.Distinct().Count() != heads.Count)
            throw new ArgumentException($"head {heads.GroupBy(h => h).First(g => g.Count() > 1).Key} is listed twice", nameof(heads));
        if (matrix.dim() != 3 || matrix.shape[0] != heads.Count || matrix.shape[1] != maxLength || matrix.shape[2] != maxLength)
            throw new ArgumentException($"constant heads need one Ā per head, ({heads.Count}, {maxLength}, {maxLength}) for MaxLength = {maxLength}, got [{string.Join(", ", matrix.shape)}]", nameof(matrix));
        TotalHeads = totalHeads;
        HeadWidth = headWidth;
        MaxLength = maxLength;
        var order = heads.Select((h, i) => (Head: h, Index: i)).OrderBy(p => p.Head).ToArray();
        Constant = order.Select(p => (int)p.Head).ToArray();
        Dynamic = Enumerable.Range(0, totalHeads).Except(Constant).ToArray();

        using var scope = NewDisposeScope();
        _heads = this.RegisterBuffer("heads", tensor(Constant.Select(h => (long)h).ToArray(), device: context.Device).MoveToOuterDisposeScope());
        var sorted = matrix.detach().index_select(0, tensor(order.Select(p => (long)p.Index).ToArray(), device: matrix.device));
        _matrix = this.RegisterBuffer("matrix", sorted.to(context.DType, context.Device).contiguous().MoveToOuterDisposeScope());
        // Not persistent: they follow from the heads, and .to(device) moves them with the module.
        _rows = this.RegisterBuffer("rows", tensor(ProjectionRowIndices(), device: context.Device).MoveToOuterDisposeScope(), persistent: false);
        _columns = this.RegisterBuffer("columns", tensor(OutputColumnIndices(), device: context.Device).MoveToOuterDisposeScope(), persistent: false);
    }

    /// <summary>Heads H of the attention.</summary>
    public int TotalHeads { get; }

    /// <summary>Channels per head D.</summary>
    public int HeadWidth { get; }

    /// <summary>L_max: the positions Ā covers.</summary>
    public int MaxLength { get; }

    /// <summary>The replaced heads, ascending.</summary>
    public IReadOnlyList<int> Constant { get; }

    /// <summary>The heads that still attend, ascending.</summary>
    public IReadOnlyList<int> Dynamic { get; }

    /// <summary>Ā of the replaced heads, (K, L_max, L_max), in the order of <see cref="Constant"/>.</summary>
    public Tensor Matrix => _matrix;

    /// <summary>Rows of the fused (3C, C) projection this layer computes: [Q of dynamic | K of dynamic | V of dynamic | V of constant].</summary>
    public Tensor ProjectionRows => _rows;

    /// <summary>Input columns of the output projection in the order the heads come out: dynamic heads, then constant ones.</summary>
    public Tensor OutputColumns => _columns;

    private long[] ProjectionRowIndices()
    {
        int width = TotalHeads * HeadWidth;
        IEnumerable<long> Head(int part, int head) => Enumerable.Range(0, HeadWidth).Select(d => (long)(part * width + head * HeadWidth + d));
        return Dynamic.SelectMany(h => Head(0, h))
            .Concat(Dynamic.SelectMany(h => Head(1, h)))
            .Concat(Dynamic.SelectMany(h => Head(2, h)))
            .Concat(Constant.SelectMany(h => Head(2, h)))
            .ToArray();
    }

    private long[] OutputColumnIndices() =>
        Dynamic.Concat(Constant).SelectMany(h => Enumerable.Range(0, HeadWidth).Select(d => (long)(h * HeadWidth + d))).ToArray();

    /// <summary>
    /// The constant heads' outputs over a whole sequence: <paramref name="values"/> (B, K, T, D) of the
    /// constant heads, <paramref name="padding"/> (B, T) or null; returns (B, K, T, D).
    /// </summary>
    public Tensor Mix(Tensor values, Tensor? padding, bool causal)
    {
        long batch = values.shape[0], length = values.shape[2];
        var matrix = Leading(length, causal);                                                  // (K, T, T)
        if (padding is null)
            return einsum("kij,bkjd->bkid", matrix / NonZero(matrix.sum(-1, keepdim: true)), values);
        var real = padding.logical_not().to(values.dtype);                                     // m, (B, T)
        var numerator = einsum("kij,bkjd->bkid", matrix, values * real.view(batch, 1, length, 1));
        var denominator = einsum("kij,bj->bki", matrix, real);                                // (B, K, T)
        return numerator / NonZero(denominator).unsqueeze(-1) * real.view(batch, 1, length, 1);
    }

    /// <summary>
    /// Position <paramref name="position"/> of the constant heads while decoding: <paramref name="values"/>
    /// (B, K, position + 1, D) are the values so far; returns (B, K, 1, D), row <paramref name="position"/> of
    /// the causal, row-normalised Ā applied to them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The position lies beyond L_max.</exception>
    public Tensor Step(Tensor values, long position)
    {
        if (position >= MaxLength)
            throw new InvalidOperationException($"cannot decode position {position + 1}: the constant heads' matrices cover MaxLength = {MaxLength} positions");
        var row = _matrix.select(1, position).narrow(1, 0, position + 1);                       // (K, t + 1)
        var weights = row / NonZero(row.sum(-1, keepdim: true));
        return einsum("kj,bkjd->bkd", weights, values).unsqueeze(2);
    }

    /// <summary>
    /// The constant heads' weights as an explicit (B or 1, K, T, T) tensor: <c>rownorm(Ā ⊙ m mᵀ [⊙ tril])</c>,
    /// what <see cref="Mix"/> applies without building it. For probes that compare or blend it with
    /// softmax attention.
    /// </summary>
    public static Tensor Weights(Tensor matrix, long length, Tensor? padding, bool causal)
    {
        var leading = matrix.narrow(1, 0, length).narrow(2, 0, length);                         // (K, T, T)
        if (causal) leading = leading.tril();
        var masked = leading.unsqueeze(0);                                                      // (1, K, T, T)
        if (padding is not null)
        {
            var real = padding.logical_not().to(matrix.dtype);
            masked = masked * (real.unsqueeze(2) * real.unsqueeze(1)).unsqueeze(1);           // ⊙ m mᵀ
        }
        return masked / NonZero(masked.sum(-1, keepdim: true));
    }

    private Tensor Leading(long length, bool causal)
    {
        if (length > MaxLength)
            throw new ArgumentException($"the constant heads' matrices cover MaxLength = {MaxLength} positions, but the sequence has {length}; truncate the input");
        var matrix = PositionMixing.Leading(_matrix, length);
        return causal ? matrix.tril() : matrix;
    }

    // A row that sums to 0 mixes nothing; dividing by 1 there keeps it 0 and its gradient finite.
    private static Tensor NonZero(Tensor total) => total.masked_fill(total.eq(Zero), One);

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
