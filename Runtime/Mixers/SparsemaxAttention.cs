using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Multi-head dot-product self-attention with sparsemax instead of softmax (MIXERS.md §1): weights are the
/// Euclidean projection of the scores onto the simplex, so most are exactly zero. Hidden keys (padding, and
/// the future in a decoder) get a large finite negative score, never −inf. Parameters and decoding state as
/// <see cref="SelfAttention"/>; its cross-attention counterpart is <see cref="CrossAttention"/> with
/// <see cref="CrossAttentionOptions.Sparsemax"/>.
/// </summary>
[MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = MixerNeeds.Heads, Cost = CostClass.Quadratic)]
public sealed class SparsemaxAttention : MultiHeadSelfAttention, IPooledQueryMixer
{
    private static readonly MixerFacts Description = new("sparsemax attention", CausalCapable: true, AlignmentFree: true, MixerNeeds.Heads, CostClass.Quadratic);

    /// <summary>Creates the mixer; heads, causality and attention dropout come from <paramref name="context"/>.</summary>
    public SparsemaxAttention(MixerContext context, SparsemaxAttentionOptions options) : base(context, sparsemax: true) { }

    /// <inheritdoc />
    public override MixerFacts Facts => Description;

    /// <inheritdoc />
    public Tensor forward(Tensor query, Tensor x, Tensor? padding) => AttendFromPooled(query, x, padding);
}
