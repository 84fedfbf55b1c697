using Composer.Native;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

namespace Composer.Tests.Mixers;

/// <summary>
/// The shim's depthwise conv1d (lightweight convolution's core) computes its gradients with forward
/// convolutions; they must equal libtorch's own conv1d gradients.
/// </summary>
public sealed class DepthwiseConvolutionTests
{
    [Theory]
    [InlineData(1, 4, 12, 5)]
    [InlineData(3, 6, 9, 1)]
    [InlineData(2, 8, 7, 7)]
    public void MatchesGroupedConv1dAndItsGradients(int batch, int channels, int length, int kernel)
    {
        long before = LiveTensors.Settled();
        using (var scope = new TensorScope())
        {
            var x = Torch.Randn(batch, channels, length).RequiresGrad_();
            var w = Torch.Randn(channels, 1, kernel).RequiresGrad_();
            var upstream = Torch.Randn(batch, channels, length - kernel + 1);

            var expected = Functional.Conv1d(x, w, groups: channels);
            (expected * upstream).Sum().Backward();
            var expectedX = x.Grad!.Clone();
            var expectedW = w.Grad!.Clone();
            x.ClearGrad();
            w.ClearGrad();

            var actual = Tensor.Wrap(NativeMethods.cmp_depthwise_conv1d(x.Handle, w.Handle));
            (actual * upstream).Sum().Backward();
            Reference.AssertClose(actual, expected, "depthwise conv1d output");
            Reference.AssertClose(x.Grad!, expectedX, "depthwise conv1d input gradient");
            Reference.AssertClose(w.Grad!, expectedW, "depthwise conv1d weight gradient");
            x.ClearGrad();
            w.ClearGrad();
        }
        Assert.Equal(before, Torch.LiveTensors);
    }

    [Fact]
    public void ShapeErrorsAreReported()
    {
        using var scope = new TensorScope();
        var error = Assert.Throws<TorchException>(() => Tensor.Wrap(NativeMethods.cmp_depthwise_conv1d(Torch.Randn(1, 4, 8).Handle, Torch.Randn(3, 1, 2).Handle)));
        Assert.Contains("weight (C, 1, K)", error.Message);
    }
}
