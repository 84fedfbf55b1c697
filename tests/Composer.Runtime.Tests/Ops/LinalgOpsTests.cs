using Composer.Native;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

namespace Composer.Tests.Ops;

/// <summary>Matrix products and einsum against tests/reference/ops_reduce.py.</summary>
public class LinalgOpsTests
{
    private const string File = "ops_reduce";

    [Theory]
    [InlineData("matmul_2d")]
    [InlineData("matmul_vector_matrix")]
    [InlineData("matmul_matrix_vector")]
    [InlineData("matmul_dot")]
    [InlineData("matmul_broadcast")]
    [InlineData("matmul_batched_vector")]
    public void Matmul(string variant) => Reference.Check(File, variant, c => Torch.Matmul(c.Input("a"), c.Input("b")));

    [Fact] public void Mm() => Reference.Check(File, "mm", c => c.Input("a").Mm(c.Input("b")));
    [Fact] public void Bmm() => Reference.Check(File, "bmm", c => Torch.Bmm(c.Input("a"), c.Input("b")));
    [Fact] public void Baddbmm() => Reference.Check(File, "baddbmm", c => Torch.Baddbmm(c.Input("input"), c.Input("batch1"), c.Input("batch2")));

    [Fact]
    public void BaddbmmWithBetaAndAlpha() => Reference.Check(File, "baddbmm_beta_alpha", c =>
        Torch.Baddbmm(c.Input("input"), c.Input("batch1"), c.Input("batch2"), beta: 0.5, alpha: 2.0));

    [Fact]
    public void BaddbmmBroadcastsItsInput() => Reference.Check(File, "baddbmm_broadcast", c =>
        Torch.Baddbmm(c.Input("input"), c.Input("batch1"), c.Input("batch2"), alpha: 0.25));

    [Fact]
    public void BaddbmmWithZeroBetaIgnoresTheInput() => Reference.Check(File, "baddbmm_beta_zero", c =>
        Torch.Baddbmm(c.Input("input"), c.Input("batch1"), c.Input("batch2"), beta: 0.0, alpha: 1.5));

    [Fact] public void EinsumBatchedProduct() => Reference.Check(File, "einsum_bmm", c => Torch.Einsum("bij,bjk->bik", c.Input("a"), c.Input("b")));
    [Fact] public void EinsumAttentionScores() => Reference.Check(File, "einsum_attention", c => Torch.Einsum("bhqd,bhkd->bhqk", c.Input("q"), c.Input("k")));
    [Fact] public void EinsumTranspose() => Reference.Check(File, "einsum_transpose", c => Torch.Einsum("ij->ji", c.Input("a")));
    [Fact] public void EinsumDot() => Reference.Check(File, "einsum_dot", c => Torch.Einsum("i,i->", c.Input("a"), c.Input("b")));
    [Fact] public void EinsumEllipsis() => Reference.Check(File, "einsum_ellipsis", c => Torch.Einsum("...ij,...jk->...ik", c.Input("a"), c.Input("b")));
    [Fact] public void EinsumThreeOperands() => Reference.Check(File, "einsum_three", c => Torch.Einsum("ij,jk,kl->il", c.Input("a"), c.Input("b"), c.Input("c")));

    [Fact]
    public void MatmulShapeMismatchRaisesLibtorchsMessage()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => Torch.Matmul(Torch.Ones(2, 3), Torch.Ones(4, 5)));
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", e.Message);
    }

    [Fact]
    public void BmmBatchMismatchRaises()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => Torch.Bmm(Torch.Ones(2, 3, 3), Torch.Ones(2, 4, 5)));
        Assert.Contains("batch2", e.Message);
    }

    [Fact]
    public void EinsumWithTooFewOperandsRaises()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => Torch.Einsum("ij,jk->ik", Torch.Ones(2, 3)));
        Assert.Contains("fewer operands were provided than specified in the equation", e.Message);
    }
}
