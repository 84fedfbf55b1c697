using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Bench;

/// <summary>The forms the custom autograd functions were measured against (not used by Composer.Runtime).</summary>
internal static class Alternatives
{
    private static readonly Scalar One = 1.0;

    /// <summary>
    /// Shared-kernel convolution as banded matrix products: per head one (L, L + K − 1) band times the
    /// windows of every chunk of L positions, autograd through it. h (B, T, C), kernels (H, K).
    /// </summary>
    public static Tensor Banded(Tensor h, Tensor kernels, int left)
    {
        long b = h.shape[0], t = h.shape[1], c = h.shape[2], heads = kernels.shape[0], k = kernels.shape[1], r = c / heads;
        long l = Math.Max(1, Math.Min(t, Math.Max(16, k))), n = (t + l - 1) / l, w = l + k - 1, padded = n * l + k - 1;
        var windows = nn.functional.pad(h, [0, 0, left, padded - left - t]).view(b, padded, heads, r).unfold(1, w, l);   // (B, n, H, R, W)
        var columns = windows.permute(2, 4, 0, 1, 3).reshape(heads, w, b * n * r);
        var rows = kernels.unsqueeze(1).expand(heads, l, k);
        var band = nn.functional.pad(rows, [0, l]).flatten(1).narrow(-1, 0, l * w).view(heads, l, w);                    // the skew trick
        var y = band.matmul(columns).view(heads, l, b, n, r).permute(2, 3, 1, 0, 4).reshape(b, n * l, c);
        return n * l == t ? y : y.narrow(1, 0, t);
    }

    /// <summary>
    /// Depthwise conv1d with one kernel per head whose kernel gradient is one matrix product per head over
    /// chunks of L positions, (L, N) · (N, L + K − 1), its diagonals summed to the K taps; the input gradient a
    /// conv1d as in DepthwiseConvolution. input (N, C, P), kernels (H, K).
    /// </summary>
    public sealed class GemmKernelGradient : autograd.SingleTensorFunction<GemmKernelGradient>
    {
        public override string Name => "DepthwiseConv1dGemmKernelGradient";

        private static Tensor ChannelWeights(Tensor kernels, long channels)
        {
            long heads = kernels.shape[0], k = kernels.shape[1];
            return kernels.unsqueeze(1).expand(heads, channels / heads, k).reshape(channels, 1, k);
        }

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            Tensor input = (Tensor)vars[0], kernels = (Tensor)vars[1];
            ctx.save_for_backward([input, kernels]);
            return nn.functional.conv1d(input, ChannelWeights(kernels, input.shape[1]), groups: input.shape[1]);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            Tensor input = saved[0], kernels = saved[1];
            var grad = gradOutput.contiguous();
            long b = input.shape[0], c = input.shape[1], heads = kernels.shape[0], k = kernels.shape[1], t = grad.shape[2], r = c / heads;
            var gradInput = nn.functional.conv1d(nn.functional.pad(grad, [k - 1, k - 1]), ChannelWeights(kernels.flip(1), c), groups: c);
            long l = Math.Max(1, Math.Min(t, Math.Max(16, k))), n = (t + l - 1) / l, w = l + k - 1;
            var g = (n * l == t ? grad : nn.functional.pad(grad, [0, n * l - t])).view(b, heads, r, n, l);
            var x = nn.functional.pad(input, [0, n * l + k - 1 - input.shape[2]]).view(b, heads, r, n * l + k - 1).unfold(3, w, l);
            var products = g.permute(1, 4, 0, 2, 3).reshape(heads, l, b * r * n).bmm(x.permute(1, 0, 2, 3, 4).reshape(heads, b * r * n, w));
            var gradKernels = nn.functional.pad(products.view(heads, l * w), [0, l]).view(heads, l, w + 1).narrow(2, 0, k).sum(dim: 1);
            return [gradInput, gradKernels];
        }
    }

    /// <summary>Sparsemax over the last dimension composed of libtorch ops, autograd through all of them.</summary>
    public static Tensor ComposedSparsemax(Tensor z)
    {
        var sorted = z.sort(-1, descending: true).Values;
        var cumulative = sorted.cumsum(-1);
        long n = z.shape[^1];
        var k = arange(1, n + 1, dtype: z.dtype);
        var support = (k * sorted + 1).gt(cumulative).sum(-1, keepdim: true).clamp_min(1);
        var tau = (cumulative.gather(-1, support - 1) - 1) / support.to(z.dtype);
        return (z - tau).clamp_min(0);
    }

    /// <summary>
    /// A one-direction LSTM over (B, T, C) with the backpropagation through time written out in C#, the
    /// GRU's method (RecurrentSequence) applied to the LSTM: gates [i f g o], c' = f c + i g, h' = o tanh(c').
    /// </summary>
    public sealed class LstmFunction : autograd.SingleTensorFunction<LstmFunction>
    {
        public override string Name => "LstmSequence";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            Tensor x = (Tensor)vars[0], h0 = (Tensor)vars[1], c0 = (Tensor)vars[2], wIh = (Tensor)vars[3], wHh = (Tensor)vars[4], bIh = (Tensor)vars[5], bHh = (Tensor)vars[6];
            using var scope = NewDisposeScope();
            long t = x.shape[1];
            var gates = nn.functional.linear(x.transpose(0, 1), wIh, bIh.add(bHh));                 // (T, B, 4H)
            var perStep = gates.unbind(0);
            var wHhT = wHh.t();
            var (cells, states, g) = (new Tensor[t], new Tensor[t], new Tensor[t]);
            Tensor state = h0, cell = c0;
            for (int s = 0; s < t; s++)
            {
                var a = perStep[s].addmm_(state, wHhT);
                var parts = a.chunk(4, 1);
                g[s] = parts[2].tanh();
                a.sigmoid_();
                cell = cells[s] = parts[0].mul(g[s]).addcmul_(parts[1], cell, One);
                state = states[s] = cell.tanh().mul_(parts[3]);
            }
            var all = stack(states, 0);
            ctx.save_for_backward([x, h0, c0, wIh, wHh, gates.MoveToOuterDisposeScope(), stack(g, 0).MoveToOuterDisposeScope(),
                stack(cells, 0).MoveToOuterDisposeScope(), all.MoveToOuterDisposeScope()]);
            return all.transpose(0, 1).contiguous().MoveToOuterDisposeScope();
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var v = ctx.get_saved_variables();
            Tensor x = v[0], h0 = v[1], c0 = v[2], wIh = v[3], wHh = v[4], gates = v[5], g = v[6], cells = v[7], states = v[8];
            long t = gates.shape[0], b = gates.shape[1], h = wHh.shape[1], c = x.shape[2];
            var parts = gates.chunk(4, 2);
            Tensor i = parts[0], f = parts[1], o = parts[3];
            var tanhC = cells.tanh();
            var k = o * (1 - tanhC * tanhC);
            var previousCells = cat([c0.unsqueeze(0), cells.narrow(0, 0, t - 1)], 0);
            var m = stack([g * i * (1 - i), previousCells * f * (1 - f), i * (1 - g * g), tanhC * o * (1 - o)], 2);   // (T, B, 4, H)
            var grad = gradOutput.transpose(0, 1).unbind(0);
            var (kSteps, mSteps, fSteps) = (k.unbind(0), m.unbind(0), f.unbind(0));
            var gateGrads = new Tensor[t];
            Tensor dh = zeros([b, h], gates.dtype), dc = zeros([b, h], gates.dtype);
            for (long s = t - 1; s >= 0; s--)
            {
                dh = grad[s].add(dh);
                var dct = dc.addcmul(dh, kSteps[s], One);
                var d = gateGrads[s] = mSteps[s].mul(stack([dct, dct, dct, dh], 1)).view(b, 4 * h);
                dc = dct.mul(fSteps[s]);
                dh = d.mm(wHh);
            }
            var all = stack(gateGrads, 0).reshape(t * b, 4 * h);
            var previous = cat([h0.unsqueeze(0), states.narrow(0, 0, t - 1)], 0).reshape(t * b, h);
            return [all.mm(wIh).view(t, b, c).transpose(0, 1), dh, dc,
                all.t().mm(x.transpose(0, 1).reshape(t * b, c)), all.t().mm(previous), all.sum(dim: 0), all.sum(dim: 0)];
        }
    }
}
