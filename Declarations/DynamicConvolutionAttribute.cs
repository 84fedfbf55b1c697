using System;

namespace Composer
{
    /// <summary>
    /// Dynamic convolution (MIXERS.md §3, Wu et al. 2019): like
    /// <see cref="LightweightConvolutionAttribute"/>, but each time step predicts its own kernel from
    /// its input. Centred in an encoder, left-padded (causal) in a decoder.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class DynamicConvolutionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of kernel-sharing heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;

        /// <summary>Kernel width of each covered layer, in layer order; a single value applies to all of
        /// them. Required. Odd widths keep centred padding symmetric.</summary>
        public int[]? Kernels { get; set; }

        /// <summary>GLU on the input projection (Linear C → 2C, then GLU). Default true.</summary>
        public bool Glu { get; set; } = true;

        /// <summary>Softmax-normalise each predicted kernel over its taps. Default true; dynamic
        /// kernels are not known to train without it.</summary>
        public bool WeightSoftmax { get; set; } = true;
    }
}
