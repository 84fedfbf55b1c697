using System;
using Composer.Training;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>Learning-rate schedules against fairseq's inverse_sqrt and PyTorch's LinearLR / CosineAnnealingLR.</summary>
public class ScheduleTests
{
    private static double[] Stored(string name)
    {
        using var reference = TrainingReference.Open();
        using var values = reference.Get("schedule/" + name);
        return values.data<double>().ToArray();
    }

    private static void AssertSequence(double[] expected, LearningRateSchedule schedule)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double actual = schedule.At(i + 1);
            Assert.True(Math.Abs(actual - expected[i]) <= 1e-12 * Math.Abs(expected[i]) + 1e-18,
                $"update {i + 1}: {actual:R}, the reference has {expected[i]:R}");
        }
    }

    [Fact]
    public void InverseSqrtIsFairseqs() => AssertSequence(Stored("inverse_sqrt"), new InverseSqrtSchedule(5e-4, 10));

    [Fact]
    public void InverseSqrtWithAnInitialRateIsFairseqs() => AssertSequence(Stored("inverse_sqrt_init"), new InverseSqrtSchedule(5e-4, 8, 1e-7));

    [Fact]
    public void CosineIsPyTorchsLinearWarmupThenCosineAnnealing() => AssertSequence(Stored("cosine"), new CosineSchedule(3e-3, 10, 50, 1e-5));

    [Fact]
    public void ConstantIsPyTorchsLinearWarmup() => AssertSequence(Stored("constant"), new ConstantSchedule(3e-3, 10));

    [Fact]
    public void ClosedForms()
    {
        var inverse = new InverseSqrtSchedule(1e-3, 100);
        Assert.Equal(1e-5, inverse.At(1), 15);
        Assert.Equal(1e-3, inverse.At(100), 15);
        Assert.Equal(1e-3 * Math.Sqrt(100.0 / 400), inverse.At(400), 15);
        Assert.Equal(1e-3 / Math.Sqrt(4), new InverseSqrtSchedule(1e-3, 0).At(4), 15);

        var cosine = new CosineSchedule(1.0, 10, 110, 0.1);
        Assert.Equal(0.1, cosine.At(1), 15);
        Assert.Equal(1.0, cosine.At(10), 15);
        Assert.Equal(0.55, cosine.At(60), 15);
        Assert.Equal(0.1, cosine.At(110), 15);
        Assert.Equal(0.1, cosine.At(1000), 15);

        Assert.Equal(2.0, new ConstantSchedule(2.0).At(1));
        Assert.Equal(0.5, new ConstantSchedule(2.0, 4).At(1));
    }

    [Fact]
    public void DescribeNamesTheScheduleAndItsSettings()
    {
        Assert.Equal("inverse-sqrt", new InverseSqrtSchedule(1e-3, 100).Describe()[0].Value);
        Assert.Contains(new CosineSchedule(1e-3, 10, 100, 1e-5).Describe(), kv => kv.Key == "min_lr" && kv.Value == "1E-05");
        Assert.Contains(new ConstantSchedule(0.1, 5).Describe(), kv => kv.Key == "warmup" && kv.Value == "5");
    }

    [Fact]
    public void RejectsSettingsThatMakeNoSchedule()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InverseSqrtSchedule(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InverseSqrtSchedule(1e-3, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InverseSqrtSchedule(1e-3, 10, 1e-2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1e-3, 10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1e-3, 10, 100, 1e-2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(double.NaN));
    }
}
