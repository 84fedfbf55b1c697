using System;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>Sparsemax.Apply against composer_reference/attention.py's sparsemax (tests/reference/mixers_attention.py).</summary>
public class SparsemaxTests
{
    private const string File = "mixers_attention";

    [Fact] public void MatchesPyTorch() => Reference.Check(File, "sparsemax", c => Sparsemax.Apply(c.Input("z")));

    [Fact] public void LongRowsWithSmallAndLargeSupportsMatchPyTorch() => Reference.Check(File, "sparsemax_long", c => Sparsemax.Apply(c.Input("z")));

    [Fact] public void FullyMaskedRowIsZeroNotNaN() => Reference.Check(File, "sparsemax_masked_row", c => Sparsemax.Apply(c.Input("z")));

    [Fact]
    public void ToyVectorsSumToOneWithExactZeros()
    {
        using var scope = NewDisposeScope();
        var p = Sparsemax.Apply(tensor(new[] { 1f, 2f, 3f, 0.1f, 0.2f, 0.3f }, [2, 3]));
        Assert.Equal([0f, 0f, 1f, 0.2333333f, 0.3333333f, 0.4333333f], p.data<float>().ToArray(), new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void AnyDimension()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var z = randn(4, 5) * 3;
        Assert.True(Sparsemax.Apply(z, 0).allclose(Sparsemax.Apply(z.transpose(0, 1), 1).transpose(0, 1)));
        Assert.True(Sparsemax.Apply(z, 0).sum(0L).allclose(ones(5)));
    }

    [Fact]
    public void GradientIsTheClosedFormOnTheSupport()
    {
        // ∂L/∂z = s ⊙ (g − mean of g over the support): checked against autograd through an independent
        // composition (full sort, cumsum, gather), with and without the no-grad fast path around it.
        using var scope = NewDisposeScope();
        manual_seed(4);
        var z = (randn(6, 40) * 2).requires_grad_();
        var g = randn(6, 40);
        (Sparsemax.Apply(z) * g).sum().backward();
        var actual = z.grad!.clone();
        z.grad!.zero_();
        var sorted = z.sort(-1, descending: true).Values;
        var cumulative = sorted.cumsum(-1);
        var k = arange(1, 41, dtype: ScalarType.Float32);
        var support = (k * sorted + 1).gt(cumulative).sum(-1, keepdim: true);
        var tau = (cumulative.gather(-1, support - 1) - 1) / support.to(ScalarType.Float32);
        ((z - tau).clamp_min(0) * g).sum().backward();
        Reference.AssertClose(actual, z.grad!, "sparsemax gradient");
        using (no_grad()) Reference.AssertClose(Sparsemax.Apply(z), (z - tau).clamp_min(0).detach(), "sparsemax without autograd");
    }

    [Fact]
    public void ClearErrors()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("floating-point", Assert.Throws<ArgumentException>(() => Sparsemax.Apply(arange(4))).Message);
        Assert.Contains("scalar", Assert.Throws<ArgumentException>(() => Sparsemax.Apply(tensor(1f))).Message);
    }

    private sealed class ToleranceComparer(float tolerance) : System.Collections.Generic.IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
