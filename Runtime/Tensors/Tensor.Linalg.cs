using System;
using System.Text;
using Composer.Native;

namespace Composer.Tensors;

// Matrix products: matmul (broadcasting), mm, bmm, baddbmm, and einsum.
public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product with NumPy semantics (<c>torch.matmul</c>, Python's <c>@</c>): 1-D operands act as
    /// vectors, and batch dimensions beyond the last two broadcast.
    /// </summary>
    /// <param name="other">The right operand; its second-to-last dimension (or only one) must match this tensor's last.</param>
    public Tensor Matmul(Tensor other) => Wrap(NativeMethods.cmp_matmul(Handle, other.Handle));

    /// <summary>Product of two 2-D matrices, (n×m)·(m×p) → n×p, without broadcasting (<c>torch.mm</c>).</summary>
    /// <param name="other">An m×p matrix.</param>
    public Tensor Mm(Tensor other) => Wrap(NativeMethods.cmp_mm(Handle, other.Handle));

    /// <summary>Batched product of 3-D tensors, (b×n×m)·(b×m×p) → b×n×p, without broadcasting (<c>torch.bmm</c>).</summary>
    /// <param name="other">A b×m×p tensor with the same batch size.</param>
    public Tensor Bmm(Tensor other) => Wrap(NativeMethods.cmp_bmm(Handle, other.Handle));
}

public static partial class Torch
{
    /// <summary>Matrix product with NumPy semantics: 1-D operands act as vectors, batch dimensions broadcast (<c>torch.matmul</c>).</summary>
    /// <param name="input">The left operand.</param>
    /// <param name="other">The right operand.</param>
    public static Tensor Matmul(Tensor input, Tensor other) => input.Matmul(other);

    /// <summary>Product of two 2-D matrices, (n×m)·(m×p) → n×p (<c>torch.mm</c>).</summary>
    /// <param name="input">An n×m matrix.</param>
    /// <param name="other">An m×p matrix.</param>
    public static Tensor Mm(Tensor input, Tensor other) => input.Mm(other);

    /// <summary>Batched product of 3-D tensors, (b×n×m)·(b×m×p) → b×n×p (<c>torch.bmm</c>).</summary>
    /// <param name="input">A b×n×m tensor.</param>
    /// <param name="other">A b×m×p tensor.</param>
    public static Tensor Bmm(Tensor input, Tensor other) => input.Bmm(other);

    /// <summary>
    /// <c>beta · input + alpha · (batch1 @ batch2)</c> in one kernel (<c>torch.baddbmm</c>); attention uses it
    /// to add a bias or mask to scaled scores without an intermediate tensor.
    /// </summary>
    /// <param name="input">Added to the product; broadcasts to b×n×p.</param>
    /// <param name="batch1">A b×n×m tensor.</param>
    /// <param name="batch2">A b×m×p tensor.</param>
    /// <param name="beta">Multiplies <paramref name="input"/> (default 1; with 0 its values, even NaN, are ignored).</param>
    /// <param name="alpha">Multiplies the product (default 1).</param>
    public static Tensor Baddbmm(Tensor input, Tensor batch1, Tensor batch2, Scalar? beta = null, Scalar? alpha = null) =>
        Tensor.Wrap(NativeMethods.cmp_baddbmm(input.Handle, batch1.Handle, batch2.Handle, beta ?? 1L, alpha ?? 1L));

    /// <summary>
    /// Sums products of the operands' elements over the indices an Einstein-notation equation names
    /// (<c>torch.einsum</c>), e.g. <c>Einsum("bhqd,bhkd->bhqk", q, k)</c>.
    /// </summary>
    /// <param name="equation">Subscripts per operand separated by commas, optionally <c>-&gt;</c> and the output subscripts; <c>...</c> stands for broadcast dimensions.</param>
    /// <param name="operands">The tensors, one per comma-separated subscript group.</param>
    public static unsafe Tensor Einsum(string equation, params ReadOnlySpan<Tensor> operands)
    {
        ArgumentNullException.ThrowIfNull(equation);
        // Equations and operand lists are tiny: both go to the shim from the stack (the runtime
        // marshaller is off, so the equation is encoded to NUL-terminated UTF-8 here).
        int maxBytes = Encoding.UTF8.GetMaxByteCount(equation.Length) + 1;
        Span<byte> utf8 = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        utf8[Encoding.UTF8.GetBytes(equation, utf8)] = 0;
        Span<nint> handles = operands.Length <= 16 ? stackalloc nint[operands.Length] : new nint[operands.Length];
        for (int i = 0; i < operands.Length; i++) handles[i] = operands[i].Handle;
        fixed (byte* e = utf8)
        fixed (nint* h = handles)
            return Tensor.Wrap(NativeMethods.cmp_einsum(e, h, handles.Length));
    }
}
