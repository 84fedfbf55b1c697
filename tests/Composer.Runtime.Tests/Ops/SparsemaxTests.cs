using System;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;
using F = Composer.Tensors.Functional;

namespace Composer.Tests.Ops;

/// <summary>Functional.Sparsemax against composer_reference/attention.py's sparsemax (tests/reference/mixers_attention.py).</summary>
public class SparsemaxTests
{
    private const string File = "mixers_attention";

    [Fact] public void MatchesPyTorch() => Reference.Check(File, "sparsemax", c => F.Sparsemax(c.Input("z")));

    [Fact] public void LongRowsWithSmallAndLargeSupportsMatchPyTorch() => Reference.Check(File, "sparsemax_long", c => F.Sparsemax(c.Input("z")));

    [Fact] public void FullyMaskedRowIsZeroNotNaN() => Reference.Check(File, "sparsemax_masked_row", c => F.Sparsemax(c.Input("z")));

    [Fact]
    public void ToyVectorsSumToOneWithExactZeros()
    {
        using var scope = new TensorScope();
        var p = F.Sparsemax(Torch.From([1f, 2f, 3f, 0.1f, 0.2f, 0.3f], [2, 3]));
        Assert.Equal([0f, 0f, 1f, 0.2333333f, 0.3333333f, 0.4333333f], p.ToArray<float>(), new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void AnyDimension()
    {
        using var scope = new TensorScope();
        Torch.ManualSeed(3);
        var z = Torch.Randn(4, 5) * 3;
        Assert.True(F.Sparsemax(z, 0).AllClose(F.Sparsemax(z.Transpose(0, 1), 1).Transpose(0, 1)));
        Assert.True(F.Sparsemax(z, 0).Sum(0).AllClose(Torch.Ones(5)));
    }

    [Fact]
    public void ClearErrors()
    {
        using var scope = new TensorScope();
        Assert.Contains("floating-point", Assert.Throws<Composer.Native.TorchException>(() => F.Sparsemax(Torch.Arange(4))).Message);
        Assert.Contains("scalar", Assert.Throws<Composer.Native.TorchException>(() => F.Sparsemax(Torch.Scalar(1f))).Message);
    }

    private sealed class ToleranceComparer(float tolerance) : System.Collections.Generic.IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
