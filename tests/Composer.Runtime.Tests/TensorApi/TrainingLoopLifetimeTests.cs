using System;
using System.IO;
using System.Linq;
using Composer.Layers;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Composer.Tests.TensorApi;

/// <summary>A real training loop (forward, backward, in-place SGD) leaks neither tensors nor memory.</summary>
public class TrainingLoopLifetimeTests(ITestOutputHelper output)
{
    private sealed class Mlp : Module
    {
        public readonly Linear Hidden;
        public readonly Linear Output;

        public Mlp()
        {
            Hidden = RegisterModule("hidden", new Linear(ModuleContext.Cpu, 32, 64));
            Output = RegisterModule("output", new Linear(ModuleContext.Cpu, 64, 10));
        }

        public Tensor Forward(Tensor x) => Output.Forward(Hidden.Forward(x).Relu());
    }

    [Fact]
    public void ThousandSgdStepsReturnTheLiveTensorCountExactlyAndKeepRssFlat()
    {
        Torch.ManualSeed(7);
        using var model = new Mlp();
        using var data = new TensorScope();
        var inputs = Torch.Randn(64, 32);
        var targets = Torch.Randint(0, 10, [64]);
        var parameters = model.Parameters().ToArray();

        long start = LiveTensors.Settled();
        long rssAt100 = 0;
        double firstLoss = 0, lastLoss = 0;
        for (int iteration = 1; iteration <= 1000; iteration++)
        {
            using (var step = new TensorScope())
            {
                var loss = Functional.CrossEntropy(model.Forward(inputs), targets);
                loss.Backward();
                using (Torch.NoGrad())
                {
                    foreach (var p in parameters) p.SubInPlace(p.Grad!, 0.05);
                }
                foreach (var p in parameters) p.ClearGrad();
                if (iteration == 1) firstLoss = loss.ToDouble();
                if (iteration == 1000) lastLoss = loss.ToDouble();
            }
            Assert.Equal(start, Torch.LiveTensors);
            if (iteration == 100) rssAt100 = ResidentBytes();
        }
        long rssAt1000 = ResidentBytes();
        output.WriteLine($"loss {firstLoss:F4} → {lastLoss:F4}; RSS after 100 iterations {rssAt100 / 1024} KiB, after 1000 {rssAt1000 / 1024} KiB");

        Assert.True(lastLoss < firstLoss / 2, $"the loop must actually train: loss {firstLoss} → {lastLoss}");
        Assert.Equal(start, LiveTensors.Settled());
        double growth = (rssAt1000 - rssAt100) / (double)rssAt100;
        Assert.True(Math.Abs(growth) <= 0.05, $"RSS changed by {growth:P1} between iteration 100 ({rssAt100} B) and 1000 ({rssAt1000} B)");
    }

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("/proc/self/status has no VmRSS line");
    }
}
