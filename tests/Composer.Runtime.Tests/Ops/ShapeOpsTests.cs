using System;
using Composer.Native;
using Composer.Tensors;
using Xunit;

namespace Composer.Tests.Ops;

// Behaviour of the shape and indexing ops that the reference values do not cover: what comes back
// (counts, views, layouts) and how a bad index or shape fails (a clear exception, nothing leaked).
public class ShapeOpsTests
{
    // ---- results -------------------------------------------------------------------------------
    [Fact]
    public void SplitSizesPiecesFromTheShape()
    {
        using var scope = new TensorScope();
        var x = Torch.Arange(7L);
        Assert.Equal(new[] { 3L, 3L, 1L }, Array.ConvertAll(x.Split(3), p => p.Size(0)));
        Assert.Equal(new[] { 7L }, Array.ConvertAll(x.Split(10), p => p.Size(0)));
        Assert.Equal(new[] { 2L, 5L }, Array.ConvertAll(x.Split([2, 5]), p => p.Size(0)));
        Assert.Equal(new long[] { 2, 3, 4, 5, 6 }, x.Split([2, 5])[1].ToArray<long>());
    }

    [Fact]
    public void SplitOfAnEmptyDimensionGivesOneEmptyPiece()
    {
        using var scope = new TensorScope();
        var pieces = Torch.Zeros(0, 3).Split(0);
        Assert.Single(pieces);
        Assert.Equal(new long[] { 0, 3 }, pieces[0].Shape);
    }

    [Fact]
    public void ChunkCanReturnFewerPiecesThanAsked()
    {
        using var scope = new TensorScope();
        var x = Torch.Zeros(2, 6);
        Assert.Equal(new[] { 2L, 2L, 2L }, Array.ConvertAll(x.Chunk(4, -1), p => p.Size(-1)));
        Assert.Equal(2, x.Chunk(100, 0).Length);
        Assert.Equal(3, Torch.Zeros(0).Chunk(3).Length); // as in PyTorch: an empty dimension gives `chunks` empty pieces
    }

    [Fact]
    public void ViewsShareStorage()
    {
        using var scope = new TensorScope();
        var x = Torch.Zeros(3, 4);
        x.Narrow(1, 1, 2).FillInPlace(1.0);
        x.Select(0, -1).FillInPlace(2.0);
        x.Split(1, 0)[0].View(4).Select(0, 0).FillInPlace(3.0);
        Assert.Equal(new float[] { 3, 1, 1, 0, 0, 1, 1, 0, 2, 2, 2, 2 }, x.ToArray<float>());
    }

    [Fact]
    public void ContiguousLaysOutTransposes()
    {
        using var scope = new TensorScope();
        var t = Torch.Arange(6L).View(2, 3).Transpose(0, 1);
        Assert.False(t.IsContiguous);
        var c = t.Contiguous();
        Assert.True(c.IsContiguous);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, c.ToArray<long>());
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, t.Reshape(-1).ToArray<long>());
    }

    [Fact]
    public void IntegerTensorsIndexAndScatter()
    {
        using var scope = new TensorScope();
        var x = Torch.Arange(6L).View(2, 3);
        var index = Torch.From<long>([2, 0]);
        Assert.Equal(new long[] { 2, 0, 5, 3 }, x.IndexSelect(-1, index).ToArray<long>());
        var zeros = Torch.Zeros([2, 3], DType.Int64);
        var column = Torch.From<long>([1, 1], [2, 1]);
        Assert.Equal(new long[] { 0, 7, 0, 0, 7, 0 }, zeros.Scatter(1, column, 7L).ToArray<long>());
        Assert.Equal(new long[] { 0, 1, 0, 0, 4, 0 }, Torch.ScatterAdd(zeros, 1, column, x.Narrow(1, 1, 1)).ToArray<long>());
        Assert.Equal(new long[] { 1, 3, 5 }, x.MaskedSelect(Torch.From<bool>([false, true, false, true, false, true], [2, 3])).ToArray<long>());
    }

    [Fact]
    public void ScatterInPlaceWritesIntoTheTensor()
    {
        using var scope = new TensorScope();
        var counts = Torch.Zeros(4);
        var tokens = Torch.From<long>([1, 3, 1, 1]);
        counts.ScatterAddInPlace(0, tokens, Torch.Ones(4));
        Assert.Equal(new float[] { 0, 3, 0, 1 }, counts.ToArray<float>());
        counts.ScatterInPlace(0, Torch.From<long>([0]), Torch.From<float>([9]));
        counts.ScatterInPlace(0, Torch.From<long>([2]), 5.0);
        Assert.Equal(new float[] { 9, 3, 5, 1 }, counts.ToArray<float>());
    }

    [Fact]
    public void JoinsAndSplitsLeakNothing()
    {
        long before = Torch.LiveTensors;
        using (var scope = new TensorScope())
        {
            var x = Torch.Randn(6, 4);
            var pieces = x.Chunk(3);
            var back = Torch.Cat(pieces);
            Assert.True(back.ValueEquals(x));
            Assert.True(Torch.Stack(pieces, -1).Select(-1, 2).ValueEquals(pieces[2]));
        }
        Assert.Equal(before, Torch.LiveTensors);
    }

    // ---- failures ------------------------------------------------------------------------------
    private static TException Fails<TException>(Func<object> op) where TException : Exception
    {
        long before = Torch.LiveTensors;
        TException error;
        using (var scope = new TensorScope()) error = Assert.Throws<TException>(op);
        // The scope released the inputs; anything a failed op handed out unwrapped would still be live.
        Assert.Equal(before, Torch.LiveTensors);
        return error;
    }

    private static Tensor X() => Torch.Zeros(3, 4);

    [Fact]
    public void SelectOutOfRangeSaysWhich()
    {
        var e = Fails<TorchException>(() => X().Select(0, 5));
        Assert.Contains("index 5 out of range", e.Message);
        Fails<TorchException>(() => X().Select(2, 0));
    }

    [Fact]
    public void NarrowPastTheEndFails() =>
        Assert.Contains("exceeds dimension size", Fails<TorchException>(() => X().Narrow(1, 2, 5)).Message);

    [Fact]
    public void IndexSelectOutOfRangeNamesIndexAndSize()
    {
        var e = Fails<TorchException>(() => X().IndexSelect(1, Torch.From<long>([0, 5])));
        Assert.Contains("index 5 is out of range for dimension 1 of size 4", e.Message);
        e = Fails<TorchException>(() => X().IndexSelect(-1, Torch.From<long>([-1])));
        Assert.Contains("index -1 is out of range", e.Message);
        e = Fails<TorchException>(() => X().IndexSelect(0, Torch.From<float>([0])));
        Assert.Contains("int32 or int64", e.Message);
    }

    [Fact]
    public void GatherAndScatterOutOfRangeFail()
    {
        var index = Torch.From<long>([0, 5], [1, 2]);
        Assert.Contains("index 5 is out of bounds for dimension 1 with size 4", Fails<TorchException>(() => X().Gather(1, index)).Message);
        Assert.Contains("out of bounds", Fails<TorchException>(() => X().Scatter(1, index, Torch.Ones(1, 2))).Message);
        Assert.Contains("out of bounds", Fails<TorchException>(() => X().Scatter(1, index, 1.0)).Message);
        Assert.Contains("out of bounds", Fails<TorchException>(() => X().ScatterAdd(1, index, Torch.Ones(1, 2))).Message);
        Assert.Contains("out of bounds", Fails<TorchException>(() => X().ScatterAddInPlace(1, index, Torch.Ones(1, 2))).Message);
    }

    [Fact]
    public void MaskedSelectNeedsABooleanMaskThatBroadcasts()
    {
        Assert.Contains("BoolTensor", Fails<TorchException>(() => X().MaskedSelect(Torch.Ones(3, 4))).Message);
        Fails<TorchException>(() => X().MaskedSelect(Torch.Ones([3, 5], DType.Bool)));
    }

    [Fact]
    public void ViewAndReshapeToAWrongSizeFail()
    {
        Assert.Contains("shape '[5, 5]' is invalid for input of size 12", Fails<TorchException>(() => X().View(5, 5)).Message);
        Assert.Contains("invalid for input of size 12", Fails<TorchException>(() => X().Reshape(5, -1)).Message);
        Assert.Contains("Use .reshape", Fails<TorchException>(() => X().Transpose(0, 1).View(12)).Message);
    }

    [Fact]
    public void PermuteChecksItsDimensions()
    {
        var e = Fails<ArgumentException>(() => X().Permute(0));
        Assert.Contains("got 1 for a tensor with 2 dimensions", e.Message);
        Assert.Contains("duplicate dims", Fails<TorchException>(() => X().Permute(0, 0)).Message);
    }

    [Fact]
    public void DimensionsOutOfRangeFail()
    {
        Assert.Contains("Dimension out of range", Fails<TorchException>(() => X().Transpose(0, 2)).Message);
        Assert.Contains("Dimension out of range", Fails<TorchException>(() => X().Unsqueeze(3)).Message);
        Assert.Contains("Dimension out of range", Fails<TorchException>(() => X().Squeeze(-3)).Message);
        Fails<TorchException>(() => X().Flatten(1, 0));
        Fails<TorchException>(() => X().Flip(0, 0));
        Fails<ArgumentOutOfRangeException>(() => X().Split(1, 2));
        Fails<ArgumentOutOfRangeException>(() => X().Chunk(2, -3));
    }

    [Fact]
    public void ExpandAndRepeatCheckTheirShapes()
    {
        Assert.Contains("must match the existing size (3)", Fails<TorchException>(() => X().Expand(2, 4)).Message);
        Assert.Contains("can not be smaller", Fails<TorchException>(() => X().Repeat(2)).Message);
        Fails<TorchException>(() => X().ExpandAs(Torch.Zeros(4, 3)));
    }

    [Fact]
    public void CatAndStackCheckTheirInputs()
    {
        Assert.Contains("Sizes of tensors must match", Fails<TorchException>(() => Torch.Cat([X(), Torch.Zeros(2, 3)])).Message);
        Assert.Contains("equal size", Fails<TorchException>(() => Torch.Stack([X(), Torch.Zeros(2, 3)])).Message);
        Assert.Contains("non-empty", Fails<TorchException>(() => Torch.Cat([])).Message);
        Fails<TorchException>(() => Torch.Stack([]));
        Fails<ArgumentNullException>(() => Torch.Cat([X(), null!]));
    }

    [Fact]
    public void SplitAndChunkCheckTheirSizes()
    {
        Assert.Contains("sum exactly to 4", Fails<TorchException>(() => X().Split([1, 2], 1)).Message);
        Assert.Contains("can only be 0 if dimension size is 0", Fails<TorchException>(() => X().Split(0, 1)).Message);
        Fails<ArgumentOutOfRangeException>(() => X().Split(-1));
        Fails<ArgumentOutOfRangeException>(() => X().Chunk(0));
    }

    [Fact]
    public void RollNeedsOneShiftPerDimension() =>
        Assert.Contains("shifts and dimensions must align", Fails<TorchException>(() => X().Roll([1, 2], [0])).Message);
}
