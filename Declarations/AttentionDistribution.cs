namespace Composer
{
    /// <summary>
    /// The distribution function g of <see cref="ScoredAttentionAttribute"/>: how a query's logits over
    /// the keys become the weights of the values (MIXERS.md §1).
    /// </summary>
    public enum AttentionDistribution
    {
        /// <summary>softmax over the keys: positive weights summing to 1.</summary>
        Softmax,

        /// <summary>The logistic sigmoid of each logit: independent weights in (0, 1), not normalised.</summary>
        Sigmoid,

        /// <summary>sparsemax (Martins &amp; Astudillo 2016): weights summing to 1 with exact zeros.</summary>
        Sparsemax,

        /// <summary>
        /// Hard attention (Xu et al. 2015): one key sampled from softmax's weights. Not supported: the sample is
        /// not differentiable, and training it needs score-function (REINFORCE) gradients, which Composer's
        /// training loop does not compute; a declaration using it is an error (CMP0045).
        /// </summary>
        Hard,
    }
}
