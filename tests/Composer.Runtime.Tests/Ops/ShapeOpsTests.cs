using System;
using Composer.Native;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

namespace Composer.Tests.Ops;

/// <summary>
/// Shape and indexing ops: values and gradients against tests/reference/ops_shape.py, then what the
/// reference values do not cover: what comes back (counts, views, layouts) and how a bad index or
/// shape fails (a clear exception, nothing leaked).
/// </summary>
public class ShapeOpsTests
{
    private const string File = "ops_shape";

    // ---- against PyTorch: slicing and indexing -------------------------------------------------
    [Fact] public void Narrow() => Reference.Check(File, "narrow", c => c.Input("x").Narrow(1, 1, 3));
    [Fact] public void NarrowNegative() => Reference.Check(File, "narrow_negative", c => Torch.Narrow(c.Input("x"), -1, -3, 2));
    [Fact] public void Select() => Reference.Check(File, "select", c => c.Input("x").Select(1, 2));
    [Fact] public void SelectNegative() => Reference.Check(File, "select_negative", c => Torch.Select(c.Input("x"), -1, -2));
    [Fact] public void IndexSelect() => Reference.Check(File, "index_select", c => c.Input("x").IndexSelect(0, c.Input("index")));
    [Fact] public void IndexSelectNegativeDim() => Reference.Check(File, "index_select_negative_dim", c => Torch.IndexSelect(c.Input("x"), -1, c.Input("index")));
    [Fact] public void Gather() => Reference.Check(File, "gather", c => c.Input("x").Gather(1, c.Input("index")));
    [Fact] public void GatherNegativeDim() => Reference.Check(File, "gather_negative_dim", c => Torch.Gather(c.Input("x"), -3, c.Input("index")));
    [Fact] public void Scatter() => Reference.Check(File, "scatter", c => c.Input("x").Scatter(-1, c.Input("index"), c.Input("src")));
    [Fact] public void ScatterValue() => Reference.Check(File, "scatter_value", c => Torch.Scatter(c.Input("x"), 1, c.Input("index"), 2.5));
    [Fact] public void ScatterAdd() => Reference.Check(File, "scatter_add", c => c.Input("x").ScatterAdd(0, c.Input("index"), c.Input("src")));
    [Fact] public void ScatterAddNegativeDim() => Reference.Check(File, "scatter_add_negative_dim", c => Torch.ScatterAdd(c.Input("x"), -1, c.Input("index"), c.Input("src")));
    [Fact] public void MaskedSelect() => Reference.Check(File, "masked_select", c => c.Input("x").MaskedSelect(c.Input("mask")));
    [Fact] public void MaskedSelectBroadcast() => Reference.Check(File, "masked_select_broadcast", c => Torch.MaskedSelect(c.Input("x"), c.Input("mask")));

    // ---- against PyTorch: views and reshapes ---------------------------------------------------
    [Fact] public void View() => Reference.Check(File, "view", c => c.Input("x").View(6, -1));
    [Fact] public void Reshape() => Reference.Check(File, "reshape", c => c.Input("x").Reshape(4, -1));
    [Fact] public void ReshapeNonContiguous() => Reference.Check(File, "reshape_noncontiguous", c => Torch.Reshape(c.Input("x").Transpose(0, 2), -1, 3));
    [Fact] public void Permute() => Reference.Check(File, "permute", c => c.Input("x").Permute(2, 0, 1));
    [Fact] public void PermuteNegative() => Reference.Check(File, "permute_negative", c => Torch.Permute(c.Input("x"), -1, -3, -2));
    [Fact] public void Transpose() => Reference.Check(File, "transpose", c => Torch.Transpose(c.Input("x"), 0, -1));
    [Fact] public void Contiguous() => Reference.Check(File, "contiguous", c => c.Input("x").Transpose(0, 1).Contiguous());
    [Fact] public void Unsqueeze() => Reference.Check(File, "unsqueeze", c => c.Input("x").Unsqueeze(1));
    [Fact] public void UnsqueezeNegative() => Reference.Check(File, "unsqueeze_negative", c => Torch.Unsqueeze(c.Input("x"), -1));
    [Fact] public void Squeeze() => Reference.Check(File, "squeeze", c => c.Input("x").Squeeze());
    [Fact] public void SqueezeDim() => Reference.Check(File, "squeeze_dim", c => Torch.Squeeze(c.Input("x"), -3));
    [Fact] public void SqueezeDimNotOne() => Reference.Check(File, "squeeze_dim_not_one", c => c.Input("x").Squeeze(0));
    [Fact] public void Expand() => Reference.Check(File, "expand", c => c.Input("x").Expand(2, 3, 4));
    [Fact] public void ExpandKeep() => Reference.Check(File, "expand_keep", c => c.Input("x").Expand(-1, 5));
    [Fact] public void ExpandAs() => Reference.Check(File, "expand_as", c => c.Input("x").ExpandAs(c.Input("other")));
    [Fact] public void Flatten() => Reference.Check(File, "flatten", c => c.Input("x").Flatten(1, -2));
    [Fact] public void FlattenAll() => Reference.Check(File, "flatten_all", c => Torch.Flatten(c.Input("x")));

    // ---- against PyTorch: copies ---------------------------------------------------------------
    [Fact] public void Clone() => Reference.Check(File, "clone", c => Torch.Clone(c.Input("x")));
    [Fact] public void Repeat() => Reference.Check(File, "repeat", c => c.Input("x").Repeat(2, 1, 3));
    [Fact] public void Flip() => Reference.Check(File, "flip", c => Torch.Flip(c.Input("x"), 0, -1));
    [Fact] public void Roll() => Reference.Check(File, "roll", c => c.Input("x").Roll(1, 1));
    [Fact] public void RollDims() => Reference.Check(File, "roll_dims", c => Torch.Roll(c.Input("x"), [1, -3], [0, -1]));
    [Fact] public void RollFlat() => Reference.Check(File, "roll_flat", c => c.Input("x").Roll(5));

    // ---- against PyTorch: joins and splits -----------------------------------------------------
    [Fact] public void Cat() => Reference.Check(File, "cat", c => Torch.Cat([c.Input("a"), c.Input("b"), c.Input("c")]));
    [Fact] public void CatNegativeDim() => Reference.Check(File, "cat_negative_dim", c => Torch.Cat([c.Input("a"), c.Input("b")], -1));
    [Fact] public void Stack() => Reference.Check(File, "stack", c => Torch.Stack([c.Input("a"), c.Input("b"), c.Input("c")], 1));
    [Fact] public void StackNegativeDim() => Reference.Check(File, "stack_negative_dim", c => Torch.Stack([c.Input("a"), c.Input("b")], -1));
    [Fact] public void Split() => Reference.Check(File, "split", c => c.Input("x").Split(3));
    [Fact] public void SplitSizes() => Reference.Check(File, "split_sizes", c => Torch.Split(c.Input("x"), [1, 2, 3], -1));
    [Fact] public void Chunk() => Reference.Check(File, "chunk", c => c.Input("x").Chunk(3));
    [Fact] public void ChunkNegativeDim() => Reference.Check(File, "chunk_negative_dim", c => Torch.Chunk(c.Input("x"), 4, -1));

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
        long before = LiveTensors.Settled();
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
        long before = LiveTensors.Settled();
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
        using var scope = new TensorScope(); // owns the shared index; each failure runs in a scope of its own
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
