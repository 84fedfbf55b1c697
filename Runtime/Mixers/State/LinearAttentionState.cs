using System;
using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// The decoding state of linear and Taylor attention (MIXERS.md §4, the "RNN view"): per head, the running
/// sums S = Σ φ(k)ᵀ v, (B, H, F, D), and z = Σ φ(k), (B, H, F), over the positions seen so far. Constant
/// size whatever the length, and float32 whatever the model's dtype, because z grows without bound.
/// </summary>
public sealed class LinearAttentionState : IMixerState
{
    internal LinearAttentionState(Tensor s, Tensor z)
    {
        S = s.Persist();
        Z = z.Persist();
    }

    /// <summary>Σ φ(k)ᵀ v over the positions so far, (B, H, F, D), float32.</summary>
    public Tensor S { get; private set; }

    /// <summary>Σ φ(k) over the positions so far, (B, H, F), float32.</summary>
    public Tensor Z { get; private set; }

    /// <summary>Number of sequences in the batch.</summary>
    public long BatchSize => S.Size(0);

    /// <summary>Replaces both sums (after a step added a position to them).</summary>
    internal void Update(Tensor s, Tensor z)
    {
        s.Persist();
        z.Persist();
        Dispose();
        (S, Z) = (s, z);
    }

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        Update(S.IndexSelect(0, indices), Z.IndexSelect(0, indices));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        S.Dispose();
        Z.Dispose();
    }
}
