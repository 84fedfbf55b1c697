namespace Composer
{
    /// <summary>
    /// The score function f(q, k) of <see cref="ScoredAttentionAttribute"/>: how a query and a key become
    /// one logit (MIXERS.md §1, after Niu, Zhong &amp; Yu's review of attention). q and k are a head's
    /// projected query and key, D channels each.
    /// </summary>
    public enum AttentionScore
    {
        /// <summary>Additive (Bahdanau): f = wᵀ tanh(q + k), with a learned w per head. Computed in tiles of
        /// queries, so the (B, T, S, D) sums are never held whole.</summary>
        Additive,

        /// <summary>General or bilinear (Luong): f = qᵀ W k, with a learned (D × D) W per head.</summary>
        General,

        /// <summary>Dot (Luong): f = qᵀ k, unscaled; the logits' spread grows with D.</summary>
        Dot,

        /// <summary>Scaled dot (Vaswani): f = qᵀ k / √D.</summary>
        ScaledDot,

        /// <summary>Location-based (Luong): f = W q, logits over key positions from the query alone, with a
        /// learned (MaxLength × D) W per head; keys play no part. Needs the model's MaxLength.</summary>
        Location,
    }
}
