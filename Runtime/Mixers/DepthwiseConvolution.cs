using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Depthwise 1-D convolution over time-major sequences, y[n, t, c] = Σ_k w[c, k] · x[n, t + k, c] without
/// bias or padding, for lightweight convolution (MIXERS.md §2), as a C# autograd function for its backward:
/// both gradients are depthwise convolutions themselves,
/// ∂L/∂x = (∂L/∂y) convolved with the flipped kernel, with K − 1 zeros on both sides, and
/// ∂L/∂w[c, k] = Σ_t ∂L/∂y[n, t, c] · x[n, t + k, c], a convolution of the input by the output gradient with
/// one group per (sequence, channel), summed over the sequences.
/// </summary>
/// <remarks>
/// <para>The (B, T, C) layout is kept: viewed as (B, C, 1, T), it is a channels-last image, for which
/// libtorch's depthwise convolution is fast, so neither the input nor the output is transposed (a transposing
/// copy of a (1, 4096, 256) sequence alone costs about as much as the convolution). Only the kernels'
/// gradient reads channel-major copies.</para>
/// <para>Measured on libtorch 2.10 (bench/run autograd, C = 256, K = 31): libtorch's own backward of the
/// same convolution, a kernel gradient by matrix products, and banded matrix products throughout were all
/// slower; the report of the port has the figures.</para>
/// </remarks>
internal static class DepthwiseConvolution
{
    /// <summary>
    /// <paramref name="input"/> (N, L, C), contiguous, convolved with <paramref name="weight"/> (C, 1, K),
    /// channel by channel, no padding: (N, L − K + 1, C), contiguous.
    /// </summary>
    public static Tensor Apply(Tensor input, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.dim() != 3)
            throw new ArgumentException($"depthwise conv1d expects an input (N, L, C), got [{string.Join(", ", input.shape)}]", nameof(input));
        if (weight.dim() != 3 || weight.shape[0] != input.shape[2] || weight.shape[1] != 1)
            throw new ArgumentException($"depthwise conv1d expects a weight (C, 1, K) with C = {input.shape[2]} channels, got [{string.Join(", ", weight.shape)}]", nameof(weight));
        if (weight.shape[2] > input.shape[1])
            throw new ArgumentException($"depthwise conv1d: the kernel ({weight.shape[2]}) is longer than the padded input ({input.shape[1]})", nameof(weight));
        bool record = is_grad_enabled() && (input.requires_grad || weight.requires_grad);
        return record ? DepthwiseFunction.apply(input.contiguous(), weight) : Forward(input.contiguous(), weight);
    }

    /// <summary>(N, L, C) contiguous through a channels-last depthwise conv2d: (N, L − K + 1, C) contiguous.</summary>
    private static Tensor Forward(Tensor input, Tensor weight) =>
        nn.functional.conv2d(input.transpose(1, 2).unsqueeze(2), weight.unsqueeze(2), groups: input.shape[2]).squeeze(2).transpose(1, 2);

    private sealed class DepthwiseFunction : autograd.SingleTensorFunction<DepthwiseFunction>
    {
        // Kernels up to this width get their gradient from shifted products (see KernelGradient).
        private const long ShiftedProductsUpTo = 8;
        private static readonly long[] SequenceAndTime = [0, 1];

        public override string Name => "DepthwiseConv1d";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            Tensor input = (Tensor)vars[0], weight = (Tensor)vars[1];
            ctx.save_for_backward([input, weight]);
            return Forward(input, weight);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            Tensor input = saved[0], weight = saved[1];
            var grad = gradOutput.contiguous();
            long k = weight.shape[2];
            // Padded beforehand: the depthwise kernel takes a much slower path when asked for padding wider
            // than half the kernel.
            var gradInput = Forward(nn.functional.pad(grad, [0, 0, k - 1, k - 1]), weight.flip(2));
            return [gradInput, KernelGradient(input, grad, k)];
        }

        /// <summary>∂L/∂w (C, 1, K) from the padded input (N, L, C) and the output gradient (N, L − K + 1, C).</summary>
        /// <remarks>
        /// Short kernels: K products of the gradient with the input shifted by k, each summed over sequences
        /// and positions, read both in their (B, T, C) layout. Longer ones: a grouped conv1d with one group per
        /// (sequence, channel), which needs channel-major copies but reads each input once instead of K times.
        /// Measured crossover (CPU time, one thread, B = 8, C = 128–256): K = 3 took 1.8 ms against 4.3, K = 7
        /// 0.67 against 1.40, K = 31 15.0 against 5.5.
        /// </remarks>
        private static Tensor KernelGradient(Tensor input, Tensor grad, long k)
        {
            long n = input.shape[0], c = input.shape[2], length = grad.shape[1];
            if (k <= ShiftedProductsUpTo)
            {
                var taps = new Tensor[k];
                for (long j = 0; j < k; j++)
                    taps[j] = input.narrow(1, j, length).mul(grad).sum(SequenceAndTime);
                return stack(taps, 1).unsqueeze(1);
            }
            // One group per (sequence, channel): channel-major copies, which the grouped conv1d needs.
            return nn.functional.conv1d(input.transpose(1, 2).contiguous().view(1, n * c, input.shape[1]),
                grad.transpose(1, 2).contiguous().view(n * c, 1, length), groups: n * c).view(n, c, k).sum(dim: 0).unsqueeze(1);
        }
    }
}
