using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Data;
using Composer.Tests.Harness;
using Composer.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>AdamW against <c>torch.optim.AdamW</c> over several steps with changing learning rates and gradients.</summary>
public class AdamWTests
{
    private static readonly string[] Names = ["w", "b", "e"];

    [Fact]
    public void MatchesPyTorchStepByStep()
    {
        long live = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        using (var reference = TrainingReference.Open())
        {
            var hyper = reference.Get("adamw/hyper").data<double>().ToArray();
            var lrs = reference.Get("adamw/lr").data<double>().ToArray();
            var parameters = Names.Select(n => (Name: n, Tensor: reference.Get($"adamw/init/{n}").requires_grad_(true))).ToList();
            using var optimizer = new AdamW(parameters, beta1: hyper[0], beta2: hyper[1], eps: hyper[2], weightDecay: hyper[3]);
            for (int k = 0; k < lrs.Length; k++)
            {
                foreach (var (name, p) in parameters)
                {
                    // d/dp sum(p · g) = g exactly, so backward leaves PyTorch's gradient in p.grad.
                    (p * reference.Get($"adamw/grad/{k}/{name}")).sum().backward();
                }
                optimizer.Step(lrs[k]);
                optimizer.ZeroGrad();
                foreach (var (name, p) in parameters)
                    Reference.AssertClose(p.detach(), reference.Get($"adamw/param/{k}/{name}"), $"parameter {name} after step {k + 1}", 1e-6);
            }
            Assert.Equal(lrs.Length, optimizer.StepCount);
            var state = optimizer.StateDict().ToDictionary(s => s.Name, s => s.Tensor);
            Assert.Equal(["exp_avg.w", "exp_avg.b", "exp_avg.e", "exp_avg_sq.w", "exp_avg_sq.b", "exp_avg_sq.e"], state.Keys);
            foreach (var name in Names)
            {
                Reference.AssertClose(state["exp_avg." + name], reference.Get($"adamw/exp_avg/{name}"), $"exp_avg of {name}", 1e-6);
                Reference.AssertClose(state["exp_avg_sq." + name], reference.Get($"adamw/exp_avg_sq/{name}"), $"exp_avg_sq of {name}", 1e-6);
            }
        }
        Assert.Equal(live, LiveTensors.Settled());
    }

    [Fact]
    public void StepLeavesNoTemporariesBehindInsideAScope()
    {
        using var scope = NewDisposeScope();
        var p = randn(3, 3).requires_grad_(true);
        using var optimizer = new AdamW([("p", p)]);
        (p * p).sum().backward();
        int before = scope.DisposablesCount;
        long live = LiveTensors.Settled();
        optimizer.Step(1e-3);
        optimizer.ZeroGrad();
        Assert.Equal(live, LiveTensors.Count); // the handles to the gradient were released, nothing else was made
        Assert.Equal(before, scope.DisposablesCount);
    }

    [Fact]
    public void ParametersWithoutGradientsAreLeftAlone()
    {
        using var scope = NewDisposeScope();
        var used = ones(2, 2).requires_grad_(true);
        var unused = ones(2, 2).requires_grad_(true);
        using var optimizer = new AdamW([("used", used), ("unused", unused)], weightDecay: 0.5);
        used.sum().backward();
        optimizer.Step(0.1);
        Assert.True(unused.detach().Equals(ones(2, 2)));
        Assert.False(used.detach().Equals(ones(2, 2)));
    }

    [Fact]
    public void LoadStateDictRestoresMomentsAndRefusesMismatches()
    {
        using var scope = NewDisposeScope();
        var p = randn(2, 3).requires_grad_(true);
        using var a = new AdamW([("p", p)]);
        (p * p).sum().backward();
        a.Step(1e-2);
        using var b = new AdamW([("p", zeros(2, 3).requires_grad_(true))]);
        b.LoadStateDict(a.StateDict().ToDictionary(s => s.Name, s => s.Tensor));
        foreach (var ((_, x), (_, y)) in a.StateDict().Zip(b.StateDict())) Assert.True(x.Equals(y));

        using var c = new AdamW([("q", zeros(3).requires_grad_(true))]);
        var error = Assert.Throws<Composer.Layers.StateDictMismatchException>(() => c.LoadStateDict(a.StateDict().ToDictionary(s => s.Name, s => s.Tensor)));
        Assert.Contains("exp_avg.q", error.Missing);
        Assert.Contains("exp_avg.p", error.Unexpected);

        using var d = new AdamW([("p", zeros(2, 3, ScalarType.Float64).requires_grad_(true))]);
        var mistyped = Assert.Throws<Composer.Layers.StateDictMismatchException>(() => d.LoadStateDict(a.StateDict().ToDictionary(s => s.Name, s => s.Tensor)));
        Assert.Contains("exp_avg.p: expected Float64, found Float32", mistyped.Mistyped);
    }

    [Theory]
    [InlineData(1.0, 0.999, 1e-8, 0.0)]
    [InlineData(0.9, -0.1, 1e-8, 0.0)]
    [InlineData(0.9, 0.999, -1.0, 0.0)]
    [InlineData(0.9, 0.999, 1e-8, double.NaN)]
    public void RejectsHyperparametersOutOfRange(double beta1, double beta2, double eps, double weightDecay)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(new List<(string, Tensor)>(), beta1, beta2, eps, weightDecay));
        Assert.Contains("must be", error.Message);
    }

    /// <summary>
    /// A model's <c>parameters()</c> serve TorchSharp's own optimizers as they are, and Composer's AdamW
    /// (decay on matrices only) is TorchSharp's <c>optim.AdamW</c> with two parameter groups, bit for bit.
    /// </summary>
    [Fact]
    public void MatchesTorchSharpsAdamWBitForBitOnAModelsParameters()
    {
        manual_seed(61);
        using var ours = new TinyLanguageModel();
        manual_seed(61);
        using var theirs = new TinyLanguageModel();
        var initial = ours.FlatParameters();
        Assert.Equal(initial, theirs.FlatParameters());

        using var composer = new AdamW(ours, beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 0.1);
        var matrices = theirs.parameters().Where(p => p.dim() >= 2).ToList();
        var vectors = theirs.parameters().Where(p => p.dim() < 2).ToList();
        using var torchSharp = optim.AdamW(
            [new TorchSharp.Modules.AdamW.ParamGroup(matrices, new TorchSharp.Modules.AdamW.Options { weight_decay = 0.1 }),
             new TorchSharp.Modules.AdamW.ParamGroup(vectors, new TorchSharp.Modules.AdamW.Options { weight_decay = 0 })],
            lr: 1e-3, beta1: 0.9, beta2: 0.98, eps: 1e-8, weight_decay: 0.1);

        double[] rates = [3e-3, 1e-2, 5e-3, 2e-3, 1e-3];
        for (int step = 0; step < rates.Length; step++)
        {
            using var batch = SyntheticBatches.Make(61, 0, step, 16, 4, 8);
            using var scope = NewDisposeScope();
            foreach (var model in new nn.Module[] { ours, theirs })
                Objective.For(model).Compute(batch).Loss.div(batch.TargetTokens).backward();
            composer.Step(rates[step]);
            composer.ZeroGrad();
            foreach (var group in torchSharp.ParamGroups) group.LearningRate = rates[step];
            torchSharp.step();
            torchSharp.zero_grad();
        }
        var actual = ours.FlatParameters();
        Assert.NotEqual(initial, actual);
        Assert.Equal(theirs.FlatParameters(), actual);
    }
}
