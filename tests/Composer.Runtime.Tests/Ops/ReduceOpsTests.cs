using System;
using Composer.Native;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

namespace Composer.Tests.Ops;

/// <summary>Reductions, cumsum, softmax, topk and sort against tests/reference/ops_reduce.py.</summary>
public class ReduceOpsTests
{
    private const string File = "ops_reduce";

    // ---- sums and means ------------------------------------------------------------------------
    [Fact] public void SumAll() => Reference.Check(File, "sum_all", c => c.Input("x").Sum());
    [Fact] public void SumDim() => Reference.Check(File, "sum_dim", c => [c.Input("x").Sum(1), c.Input("x").Sum(-1, keepdim: true)]);
    [Fact] public void SumDims() => Reference.Check(File, "sum_dims", c => [c.Input("x").Sum([0, 2]), c.Input("x").Sum([0, -1], keepdim: true)]);

    [Fact]
    public void SumWithDType() => Reference.Check(File, "sum_dtype", c =>
    {
        var x = c.Input("x");
        return [x.Sum(DType.Float64), x.Sum(1, dtype: DType.Float64), x.Sum([0, 1], keepdim: true, dtype: DType.Float64)];
    });

    [Fact]
    public void SumOfIntegersIsInt64() => Reference.Check(File, "sum_int", c =>
    {
        var x = c.Input("x");
        return [x.Sum(), x.Sum(0), x.Sum(DType.Float32)];
    });

    [Fact] public void MeanAll() => Reference.Check(File, "mean_all", c => c.Input("x").Mean());
    [Fact] public void MeanDim() => Reference.Check(File, "mean_dim", c => [c.Input("x").Mean(1), c.Input("x").Mean(-1, keepdim: true)]);
    [Fact] public void MeanDims() => Reference.Check(File, "mean_dims", c => [c.Input("x").Mean([0, 2]), c.Input("x").Mean([1, 2], keepdim: true)]);
    [Fact] public void Cumsum() => Reference.Check(File, "cumsum", c => [c.Input("x").Cumsum(1), c.Input("x").Cumsum(0)]);
    [Fact] public void CumsumWithDType() => Reference.Check(File, "cumsum_dtype", c => c.Input("x").Cumsum(-1, DType.Float64));
    [Fact] public void CumsumOfIntegersIsInt64() => Reference.Check(File, "cumsum_int", c => c.Input("x").Cumsum(0));

    [Fact]
    public void Logsumexp() => Reference.Check(File, "logsumexp", c =>
    {
        var x = c.Input("x");
        return [x.Logsumexp(1), x.Logsumexp(-1, keepdim: true), x.Logsumexp([0, 2])];
    });

    [Fact] public void LogsumexpStaysFiniteForLargeInputs() => Reference.Check(File, "logsumexp_large", c => c.Input("x").Logsumexp(1));

    // ---- extrema -------------------------------------------------------------------------------
    [Fact] public void MaxAll() => Reference.Check(File, "max_all", c => c.Input("x").Max());
    [Fact] public void MinAll() => Reference.Check(File, "min_all", c => c.Input("x").Min());

    [Fact]
    public void MaxDim() => Reference.Check(File, "max_dim", c =>
    {
        var (values, indices) = c.Input("x").Max(1);
        var kept = c.Input("x").Max(-1, keepdim: true);
        return [values, indices, kept.Values, kept.Indices];
    });

    [Fact]
    public void MinDim() => Reference.Check(File, "min_dim", c =>
    {
        var (values, indices) = c.Input("x").Min(0);
        var kept = c.Input("x").Min(1, keepdim: true);
        return [values, indices, kept.Values, kept.Indices];
    });

    [Fact]
    public void MaxOfIntegers() => Reference.Check(File, "max_int", c =>
    {
        var x = c.Input("x");
        var (values, indices) = x.Max(1);
        return [x.Max(), values, indices];
    });

    [Fact] public void Argmax() => Reference.Check(File, "argmax", c => [c.Input("x").Argmax(), c.Input("x").Argmax(1), c.Input("x").Argmax(0, keepdim: true)]);
    [Fact] public void Argmin() => Reference.Check(File, "argmin", c => [c.Input("x").Argmin(), c.Input("x").Argmin(-1), c.Input("x").Argmin(1, keepdim: true)]);

    // ---- spread --------------------------------------------------------------------------------
    [Fact]
    public void NormAll() => Reference.Check(File, "norm_all", c =>
    {
        var x = c.Input("x");
        return [x.Norm(), x.Norm(1), x.Norm(double.PositiveInfinity), x.Norm(3)];
    });

    [Fact]
    public void NormDim() => Reference.Check(File, "norm_dim", c =>
    {
        var x = c.Input("x");
        return [x.Norm(2, 1), x.Norm(1, -1, keepdim: true), x.Norm(double.PositiveInfinity, 0)];
    });

    [Fact] public void NormDims() => Reference.Check(File, "norm_dims", c => [c.Input("x").Norm(2, [1, 2]), c.Input("x").Norm(3, [0, 2], keepdim: true)]);
    [Fact] public void VarAll() => Reference.Check(File, "var_all", c => [c.Input("x").Var(), c.Input("x").Var(unbiased: false)]);
    [Fact] public void VarDim() => Reference.Check(File, "var_dim", c => [c.Input("x").Var(1), c.Input("x").Var(-1, unbiased: false, keepdim: true)]);
    [Fact] public void VarDims() => Reference.Check(File, "var_dims", c => [c.Input("x").Var([0, 2]), c.Input("x").Var([1, 2], unbiased: false, keepdim: true)]);
    [Fact] public void VarCorrection() => Reference.Check(File, "var_correction", c => [c.Input("x").Var([0, 2], correction: 0), c.Input("x").Var([-1], correction: 2, keepdim: true)]);

    // ---- softmax -------------------------------------------------------------------------------
    [Fact] public void Softmax() => Reference.Check(File, "softmax", c => [c.Input("x").Softmax(-1), c.Input("x").Softmax(1), c.Input("x").Softmax(0)]);
    [Fact] public void SoftmaxWithDType() => Reference.Check(File, "softmax_dtype", c => c.Input("x").Softmax(-1, DType.Float64));
    [Fact] public void SoftmaxStaysFiniteForLargeInputs() => Reference.Check(File, "softmax_large", c => c.Input("x").Softmax(-1));
    [Fact] public void LogSoftmax() => Reference.Check(File, "log_softmax", c => [c.Input("x").LogSoftmax(-1), c.Input("x").LogSoftmax(1), c.Input("x").LogSoftmax(0)]);
    [Fact] public void LogSoftmaxWithDType() => Reference.Check(File, "log_softmax_dtype", c => c.Input("x").LogSoftmax(-1, DType.Float64));
    [Fact] public void LogSoftmaxStaysFiniteForLargeInputs() => Reference.Check(File, "log_softmax_large", c => c.Input("x").LogSoftmax(-1));

    // ---- selections ----------------------------------------------------------------------------
    [Fact]
    public void Topk() => Reference.Check(File, "topk", c =>
    {
        var (values, indices) = Torch.Topk(c.Input("x"), 3);
        return [values, indices];
    });

    [Fact]
    public void TopkSmallestAlongFirstDim() => Reference.Check(File, "topk_smallest_dim0", c =>
    {
        var (values, indices) = c.Input("x").Topk(2, dim: 0, largest: false);
        return [values, indices];
    });

    [Fact]
    public void TopkOfEveryElementSorts() => Reference.Check(File, "topk_all", c =>
    {
        var (values, indices) = c.Input("x").Topk(5, dim: 1);
        return [values, indices];
    });

    [Fact]
    public void Sort() => Reference.Check(File, "sort", c =>
    {
        var (values, indices) = Torch.Sort(c.Input("x"));
        return [values, indices];
    });

    [Fact]
    public void SortDescendingAlongFirstDim() => Reference.Check(File, "sort_descending_dim0", c =>
    {
        var (values, indices) = c.Input("x").Sort(0, descending: true);
        return [values, indices];
    });

    [Fact]
    public void StableSortKeepsTiesInOrder() => Reference.Check(File, "sort_stable", c =>
    {
        var ascending = c.Input("x").Sort(-1, stable: true);
        var descending = c.Input("x").Sort(-1, descending: true, stable: true);
        return [ascending.Values, ascending.Indices, descending.Values, descending.Indices];
    });

    // ---- errors --------------------------------------------------------------------------------
    [Fact]
    public void TopkWithTooLargeKNamesTheSize()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => Torch.Randn(3, 4).Topk(5));
        Assert.Contains("k = 5 is out of range for dimension -1 of size 4", e.Message);
    }

    [Fact]
    public void MeanOfIntegersRaisesLibtorchsMessage()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => Torch.Arange(3).Mean());
        Assert.Contains("Input dtype must be either a floating point or complex dtype", e.Message);
    }

    [Fact]
    public void ReducingAMissingDimensionRaises()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => Torch.Ones(2, 3).Sum(2));
        Assert.Contains("Dimension out of range", e.Message);
    }

    [Fact]
    public void FailedPairResultsLeakNothing()
    {
        using var scope = new TensorScope();
        var x = Torch.Randn(2, 3);
        long before = LiveTensors.Settled();
        Assert.Throws<TorchException>(() => x.Max(5));
        Assert.Throws<TorchException>(() => x.Sort(7));
        Assert.Equal(before, Torch.LiveTensors);
    }
}
