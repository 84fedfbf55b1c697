using System;

namespace Composer
{
    /// <summary>
    /// Lightweight convolution (MIXERS.md §2, Wu et al. 2019): a depthwise convolution whose
    /// softmax-normalised kernel is shared by the channels of each head, wrapped in a GLU input
    /// projection and an output projection. Centred in an encoder, left-padded (causal) in a decoder.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class LightweightConvolutionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of kernel-sharing heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;

        /// <summary>Kernel width of each covered layer, in layer order; a single value applies to all of
        /// them. Required. Odd widths keep centred padding symmetric.</summary>
        public int[]? Kernels { get; set; }

        /// <summary>GLU on the input projection (Linear C → 2C, then GLU). Default true.</summary>
        public bool Glu { get; set; } = true;

        /// <summary>Softmax-normalise each kernel over its taps, as in the paper's recipe. Default true.</summary>
        public bool WeightSoftmax { get; set; } = true;
    }
}
