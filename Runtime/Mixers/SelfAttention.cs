using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Multi-head scaled dot-product self-attention (MIXERS.md §0), the baseline every other mixer replaces:
/// O = softmax_j(Q Kᵀ/√D + M) V per head, then <c>out_proj</c>. M hides padded keys and, in a decoder, the
/// future (j &gt; t). Parameters: <c>qkv_proj</c>, <c>out_proj</c> (see <see cref="MultiHeadSelfAttention"/>).
/// </summary>
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
}
