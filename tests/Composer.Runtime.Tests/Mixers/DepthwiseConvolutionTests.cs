using System;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>
/// Lightweight convolution's core: the depthwise convolution of (N, L, C) sequences whose backward is made
/// of forward convolutions (<c>DepthwiseConvolution</c>, a C# autograd function replacing the retired shim's
/// native one), and
/// <c>Convolution.Shared</c> around it (heads, padding): outputs and gradients must equal libtorch's own
/// grouped <c>conv1d</c> and its gradients.
/// </summary>
public sealed class DepthwiseConvolutionTests
{
    [Theory]
    [InlineData(1, 4, 12, 5)]
    [InlineData(3, 6, 9, 1)]
    [InlineData(2, 8, 7, 7)]
    public void FunctionMatchesGroupedConv1dAndItsGradients(int batch, int channels, int length, int kernel)
    {
        long before = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        {
            var x = randn(batch, length, channels).requires_grad_();
            var w = randn(channels, 1, kernel).requires_grad_();
            var upstream = randn(batch, length - kernel + 1, channels);

            // The function keeps the (N, L, C) layout; libtorch's conv1d reads (N, C, L).
            var expected = nn.functional.conv1d(x.transpose(1, 2), w, groups: channels).transpose(1, 2);
            (expected * upstream).sum().backward();
            var expectedX = x.grad!.clone();
            var expectedW = w.grad!.clone();
            x.grad!.zero_();
            w.grad!.zero_();

            var actual = DepthwiseConvolution.Apply(x, w);
            (actual * upstream).sum().backward();
            Reference.AssertClose(actual, expected, "depthwise conv1d output");
            Reference.AssertClose(x.grad!, expectedX, "depthwise conv1d input gradient");
            Reference.AssertClose(w.grad!, expectedW, "depthwise conv1d weight gradient");
        }
        Assert.Equal(before, LiveTensors.Count);
    }

    [Theory]
    [InlineData(1, 4, 2, 12, 5, 2)]
    [InlineData(3, 6, 3, 9, 1, 0)]
    [InlineData(2, 8, 2, 7, 7, 6)]   // kernel as long as the sequence, causal
    [InlineData(2, 8, 4, 40, 3, 1)]
    [InlineData(1, 4, 1, 5, 9, 4)]   // kernel longer than the sequence
    public void SharedKernelsMatchGroupedConv1dAndItsGradients(int batch, int channels, int heads, int length, int kernel, int left)
    {
        long before = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        {
            var x = randn(batch, length, channels).requires_grad_();
            var w = randn(heads, kernel).requires_grad_();
            var upstream = randn(batch, length, channels);

            var weight = w.repeat_interleave(channels / heads, dim: 0).unsqueeze(1);                 // (C, 1, K)
            var padded = nn.functional.pad(x.transpose(1, 2), [left, kernel - 1 - left]);
            var expected = nn.functional.conv1d(padded, weight, groups: channels).transpose(1, 2);
            (expected * upstream).sum().backward();
            var expectedX = x.grad!.clone();
            var expectedW = w.grad!.clone();
            x.grad!.zero_();
            w.grad!.zero_();

            var actual = Convolution.Shared(x, w, left);
            (actual * upstream).sum().backward();
            Reference.AssertClose(actual, expected, "shared-kernel convolution output");
            Reference.AssertClose(x.grad!, expectedX, "shared-kernel convolution input gradient");
            Reference.AssertClose(w.grad!, expectedW, "shared-kernel convolution kernel gradient");
        }
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void ShapeErrorsAreReported()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("weight (C, 1, K)", Assert.Throws<ArgumentException>(() => DepthwiseConvolution.Apply(randn(1, 8, 4), randn(3, 1, 2))).Message);
        var error = Assert.Throws<ArgumentException>(() => Convolution.Shared(randn(1, 8, 4), randn(3, 2), 1));
        Assert.Contains("kernels (H, K)", error.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Convolution.Shared(randn(1, 8, 4), randn(2, 3), 3));
        Assert.Contains("left padding", range.Message);
    }
}
