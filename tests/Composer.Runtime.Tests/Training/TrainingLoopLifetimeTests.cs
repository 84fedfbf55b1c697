using System;
using System.IO;
using System.Linq;
using Composer.Layers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>
/// A plain training loop on TorchSharp (forward, backward, in-place SGD, one dispose scope per step)
/// leaks neither tensors nor memory: the live-tensor count of TorchSharp's dispose-scope statistics is
/// flat across the steps, and resident memory stops growing. (The shared trainer's own loop is held to
/// the same in TrainerTests.)
/// </summary>
public class TrainingLoopLifetimeTests(ITestOutputHelper output)
{
    private const int Steps = 500;

    private sealed class Mlp : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _hidden;
        private readonly Linear _output;

        public Mlp() : base(nameof(Mlp))
        {
            register_module("hidden", _hidden = new Linear(ModuleContext.Cpu, 32, 64));
            register_module("output", _output = new Linear(ModuleContext.Cpu, 64, 10));
        }

        public override Tensor forward(Tensor x) => _output.forward(_hidden.forward(x).relu());

        protected override void RegisterComponents() { }
    }

    [Fact]
    public void LiveTensorCountIsFlatAcross500TrainingStepsAndRssStopsGrowing()
    {
        manual_seed(7);
        using var model = new Mlp();
        using var inputs = randn(64, 32);
        using var targets = randint(0, 10, [64]);
        using Scalar rate = 0.05;
        var parameters = model.parameters().ToArray();

        long start = LiveTensors.Settled();
        long rssAt100 = 0;
        double firstLoss = 0, lastLoss = 0;
        for (int iteration = 1; iteration <= Steps; iteration++)
        {
            using (var step = NewDisposeScope())
            {
                var loss = nn.functional.cross_entropy(model.forward(inputs), targets);
                loss.backward();
                using (no_grad())
                {
                    foreach (var p in parameters) p.sub_(p.grad!.mul(rate));
                }
                foreach (var p in parameters) p.grad = null;
                if (iteration == 1) firstLoss = loss.ToDouble();
                if (iteration == Steps) lastLoss = loss.ToDouble();
            }
            Assert.Equal(start, LiveTensors.Count);
            if (iteration == 100) rssAt100 = ResidentBytes();
        }
        long rssAtEnd = ResidentBytes();
        output.WriteLine($"loss {firstLoss:F4} → {lastLoss:F4}; RSS after 100 iterations {rssAt100 / 1024} KiB, after {Steps} {rssAtEnd / 1024} KiB");

        Assert.True(lastLoss < firstLoss / 2, $"the loop must actually train: loss {firstLoss} → {lastLoss}");
        Assert.Equal(start, LiveTensors.Settled());
        double growth = (rssAtEnd - rssAt100) / (double)rssAt100;
        Assert.True(Math.Abs(growth) <= 0.05, $"RSS changed by {growth:P1} between iteration 100 ({rssAt100} B) and {Steps} ({rssAtEnd} B)");
    }

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("/proc/self/status has no VmRSS line");
    }
}
