using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// The decoding state of linear and Taylor attention (MIXERS.md §4, the "RNN view"): per head, the running
/// sums S = Σ φ(k)ᵀ v, (B, H, F, D), and z = Σ φ(k), (B, H, F), over the positions seen so far (for the cross
/// mixers, over the memory). Constant size whatever the length, and float32 whatever the model's dtype,
/// because z grows without bound.
/// </summary>
/// <remarks>
/// Both sums live side by side in one (B, H, F, D + 1) buffer, [S | z], allocated once: a step adds
/// φ(k) ⊗ [v | 1] to it in place (one op), and one product φ(q) [S | z] gives numerator and normaliser.
/// </remarks>
public sealed class LinearAttentionState : IMixerState
{
    internal LinearAttentionState(Tensor sums) => Replace(sums);

    /// <summary>[S | z], (B, H, F, D + 1), float32; written in place by the self-attention steps.</summary>
    internal Tensor Sums { get; private set; } = null!;

    /// <summary>Σ φ(k)ᵀ v over the positions so far, (B, H, F, D), float32: a view of the state.</summary>
    public Tensor S { get; private set; } = null!;

    /// <summary>Σ φ(k) over the positions so far, (B, H, F), float32: a view of the state.</summary>
    public Tensor Z { get; private set; } = null!;

    /// <summary>Number of sequences in the batch.</summary>
    public long BatchSize => Sums.shape[0];

    /// <inheritdoc />
    /// <summary>Adds <paramref name="keys"/> ⊗ <paramref name="values"/> to the sums: in place, or into a new tensor when the step records gradients (see <see cref="StateWrites"/>).</summary>
    internal void Accumulate(Tensor keys, Tensor values)
    {
        if (StateWrites.InPlace(keys, Sums) && StateWrites.InPlace(values, Sums))
        {
            Sums.addcmul_(keys, values, One);
            return;
        }
        var sums = Sums.addcmul(keys, values, One);
        Dispose();
        Replace(sums);
    }

    private static readonly Scalar One = 1.0;

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var sums = Sums.index_select(0, indices);
        Dispose();
        Replace(sums);
    }

    private void Replace(Tensor sums)
    {
        long d = sums.shape[^1] - 1;
        Sums = sums.DetachFromDisposeScope();
        S = sums.narrow(-1, 0, d).DetachFromDisposeScope();
        Z = sums.select(-1, d).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        S.Dispose();
        Z.Dispose();
        Sums.Dispose();
    }
}
