using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Composer.Bench.Training.HandWritten;

/// <summary>The lightweight-convolution language model by hand: <see cref="DecoderLm"/> with one <see cref="LightweightConv"/> per kernel.</summary>
internal static class LightConvLm
{
    public static DecoderLm Create(int vocabulary, int width, int heads, int[] kernels, int maxLength, double dropout) =>
        new(nameof(LightConvLm), vocabulary, width, maxLength, tied: false, dropout,
            kernels.Select(k => new LightweightConv(width, heads, k)));
}

/// <summary>
/// Causal lightweight convolution (Wu et al. 2019): c_in (C → 2C) and a GLU, then a depthwise
/// convolution whose H kernels of K taps (softmax over the taps) are each shared by C/H contiguous
/// channels, as conv1d with groups = C over the input padded with K − 1 zeros on the left; c_proj
/// (C → C). Decoding keeps the last K − 1 inputs, grown with torch.cat.
/// </summary>
internal sealed class LightweightConv : CausalMixer
{
    private readonly Linear c_in;
    private readonly Parameter kernel;
    private readonly Linear c_proj;
    private readonly int width;
    private readonly int heads;
    private readonly int taps;

    public LightweightConv(int width, int heads, int taps) : base(nameof(LightweightConv))
    {
        this.width = width;
        this.heads = heads;
        this.taps = taps;
        c_in = nn.Linear(width, 2 * width);
        kernel = new Parameter(randn(heads, taps));
        c_proj = nn.Linear(width, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = nn.functional.glu(c_in.forward(x), -1).transpose(1, 2);                     // (B, C, T)
        var padded = nn.functional.pad(h, (taps - 1, 0));                                   // (B, C, K − 1 + T)
        var y = nn.functional.conv1d(padded, ChannelKernels(), groups: width);              // (B, C, T)
        return c_proj.forward(y.transpose(1, 2));
    }

    public override Tensor step(Tensor x, Tensor[]? cache, out Tensor[] next)
    {
        var h = nn.functional.glu(c_in.forward(x), -1).transpose(1, 2);                     // (B, C, 1)
        var window = cache is null ? h : cat([cache[0], h], 2);                              // (B, C, n ≤ K)
        long n = window.shape[2];
        // Softmax over all K taps, then the last n of them: the zero padding of the whole-sequence path.
        var y = nn.functional.conv1d(window, ChannelKernels().narrow(2, taps - n, n), groups: width);  // (B, C, 1)
        long keep = Math.Min(n, taps - 1);
        next = [window.narrow(2, n - keep, keep)];
        return c_proj.forward(y.transpose(1, 2));
    }

    /// <summary>(C, 1, K): head h's normalised kernel repeated for each of its C/H channels.</summary>
    private Tensor ChannelKernels() => kernel.softmax(-1).repeat_interleave(width / heads, 0).unsqueeze(1);
}
