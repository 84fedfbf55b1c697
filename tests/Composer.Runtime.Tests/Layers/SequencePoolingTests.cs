using System;
using Composer.Layers;
using System.Linq;
using Composer.Tests.Harness;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Layers;

/// <summary>Classifier pooling skips padded positions; values worked out by hand.</summary>
public class SequencePoolingTests
{
    // Sequence 0: positions (1, 2), (3, 4), (5, 6). Sequence 1: (7, 8), (-9, 10), then a padded (100, 100).
    private static Tensor X() => tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, -9, 10, 100, 100 }, [2, 3, 2]);

    private static Tensor Padding() => tensor(new[] { false, false, false, false, false, true }, [2, 3]);

    [Fact]
    public void MeanSkipsPadding() => Check(SequencePooling.Mean, [3, 4, -1, 9], [3, 4, 98f / 3, 118f / 3]);

    [Fact]
    public void MaxSkipsPadding() => Check(SequencePooling.Max, [5, 6, 7, 10], [5, 6, 100, 100]);

    [Fact]
    public void FirstIsPositionZero() => Check(SequencePooling.First, [1, 2, 7, 8], [1, 2, 7, 8]);

    [Fact]
    public void LastIsTheLastUnpaddedPosition() => Check(SequencePooling.Last, [5, 6, -9, 10], [5, 6, 100, 100]);

    [Fact]
    public void RefusesAMaskOfAnotherShape()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => SequencePooling.Mean(X(), tensor(new[] { false, true }, [1, 2])));
        Assert.Contains("[2, 3]", error.Message);
    }

    private static void Check(Func<Tensor, Tensor?, Tensor> pool, float[] padded, float[] unpadded)
    {
        long live = LiveTensors.Settled();
        using (NewDisposeScope())
        {
            Assert.Equal(padded, pool(X(), Padding()).data<float>().ToArray());
            Assert.Equal(unpadded, pool(X(), null).data<float>().ToArray());
        }
        Assert.Equal(live, LiveTensors.Count);
    }
}
