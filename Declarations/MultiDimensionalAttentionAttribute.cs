using System;

namespace Composer
{
    /// <summary>
    /// Multi-dimensional (feature-wise) attention (MIXERS.md §1, DiSAN, Shen et al. 2018): the score of a
    /// query and a key is a vector with one logit per channel, f(q_i, k_j) = 5 tanh((q_i + k_j) / 5), and
    /// each channel c has its own softmax over the keys, o_{i,c} = Σ_j a_{i,j,c} v_{j,c}. Causal in a
    /// decoder. The most memory-hungry mixer here: it keeps a (T × T × Width) score tensor per sequence
    /// and layer, which the generator states for the declared sizes (CMP0046).
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class MultiDimensionalAttentionAttribute : TokenMixerAttribute
    {
    }
}
