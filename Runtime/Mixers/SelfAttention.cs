using System;
using System.Collections.Generic;
using Composer.Layers;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Multi-head scaled dot-product self-attention (MIXERS.md §0), the baseline every other mixer replaces:
/// O = softmax_j(Q Kᵀ/√D + M) V per head, then <c>out_proj</c>. M hides padded keys and, in a decoder, the
/// future (j &gt; t). Parameters: <c>qkv_proj</c>, <c>out_proj</c> (see <see cref="MultiHeadSelfAttention"/>).
/// </summary>
/// <remarks>
/// The PAPA probe (MIXERS.md §7) can replace some or all of its heads by constant matrices
/// (<see cref="UseConstantHeads"/>); the layer then mixes input-dependent and constant heads, in
/// <c>forward</c> and <c>Step</c> alike, and its checkpoint carries them under <c>constant_heads</c>.
/// </remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = MixerNeeds.Heads, Cost = CostClass.Quadratic)]
public sealed class SelfAttention : MultiHeadSelfAttention, IPooledQueryMixer
{
    private static readonly MixerFacts Description = new("softmax attention", CausalCapable: true, AlignmentFree: true, MixerNeeds.Heads, CostClass.Quadratic);

    /// <summary>Creates the mixer; heads, causality and attention dropout come from <paramref name="context"/>.</summary>
    public SelfAttention(MixerContext context, SelfAttentionOptions options) : base(context, sparsemax: false) { }

    /// <inheritdoc />
    public override MixerFacts Facts => Description;

    /// <inheritdoc />
    public Tensor forward(Tensor query, Tensor x, Tensor? padding) => AttendFromPooled(query, x, padding);

    /// <summary>The heads replaced by constant matrices, or null while every head attends.</summary>
    public ConstantHeads? ConstantHeads => Constant;

    /// <summary>
    /// Replaces <paramref name="heads"/> by constant heads mixing with <paramref name="matrix"/>, (K, L_max,
    /// L_max), one Ā per listed head (MIXERS.md §7: each is row-normalised after masking, and causal in a
    /// decoder). Replaces any constant heads set before.
    /// </summary>
    /// <exception cref="InvalidOperationException">The layer has no MaxLength, so Ā has no size.</exception>
    /// <exception cref="ArgumentException">A head is out of range or listed twice, or the matrix has the wrong shape.</exception>
    public void UseConstantHeads(IReadOnlyList<long> heads, Tensor matrix)
    {
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentNullException.ThrowIfNull(matrix);
        if (MaxLength <= 0)
            throw new InvalidOperationException("constant heads need the model's MaxLength (the size of Ā); declare MaxLength on the model");
        Constant = new ConstantHeads(ParameterContext, Heads, Width / Heads, MaxLength, heads, matrix);
    }

    /// <summary>Makes every head attend again (drops the constant heads, if any).</summary>
    public void RestoreHeads() => Constant = null;
}
