using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Tensors;
using Composer.Tests.Harness;
using Composer.Training;
using Xunit;

namespace Composer.Tests.Training;

/// <summary>AdamW against <c>torch.optim.AdamW</c> over several steps with changing learning rates and gradients.</summary>
public class AdamWTests
{
    private static readonly string[] Names = ["w", "b", "e"];

    [Fact]
    public void MatchesPyTorchStepByStep()
    {
        long live = LiveTensors.Settled();
        using (var scope = new TensorScope())
        using (var reference = TrainingReference.Open())
        {
            var hyper = reference.Get("adamw/hyper").ToArray<double>();
            var lrs = reference.Get("adamw/lr").ToArray<double>();
            var parameters = Names.Select(n => (Name: n, Tensor: reference.Get($"adamw/init/{n}").RequiresGrad_(true))).ToList();
            using var optimizer = new AdamW(parameters, beta1: hyper[0], beta2: hyper[1], eps: hyper[2], weightDecay: hyper[3]);
            for (int k = 0; k < lrs.Length; k++)
            {
                foreach (var (name, p) in parameters)
                {
                    // d/dp sum(p · g) = g exactly, so backward leaves PyTorch's gradient in p.grad.
                    (p * reference.Get($"adamw/grad/{k}/{name}")).Sum().Backward();
                }
                optimizer.Step(lrs[k]);
                optimizer.ZeroGrad();
                foreach (var (name, p) in parameters)
                    Reference.AssertClose(p.Detach(), reference.Get($"adamw/param/{k}/{name}"), $"parameter {name} after step {k + 1}", 1e-6);
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
        using var scope = new TensorScope();
        var p = Torch.Randn(3, 3).RequiresGrad_(true);
        using var optimizer = new AdamW([("p", p)]);
        (p * p).Sum().Backward();
        int before = scope.Count;
        long live = LiveTensors.Settled();
        optimizer.Step(1e-3);
        optimizer.ZeroGrad();
        Assert.Equal(live, Torch.LiveTensors); // the handles to the gradient were released, nothing else was made
        Assert.Equal(before, scope.Count);
    }

    [Fact]
    public void ParametersWithoutGradientsAreLeftAlone()
    {
        using var scope = new TensorScope();
        var used = Torch.Ones(2, 2).RequiresGrad_(true);
        var unused = Torch.Ones(2, 2).RequiresGrad_(true);
        using var optimizer = new AdamW([("used", used), ("unused", unused)], weightDecay: 0.5);
        used.Sum().Backward();
        optimizer.Step(0.1);
        Assert.True(unused.Detach().ValueEquals(Torch.Ones(2, 2)));
        Assert.False(used.Detach().ValueEquals(Torch.Ones(2, 2)));
    }

    [Fact]
    public void LoadStateDictRestoresMomentsAndRefusesMismatches()
    {
        using var scope = new TensorScope();
        var p = Torch.Randn(2, 3).RequiresGrad_(true);
        using var a = new AdamW([("p", p)]);
        (p * p).Sum().Backward();
        a.Step(1e-2);
        using var b = new AdamW([("p", Torch.Zeros(2, 3).RequiresGrad_(true))]);
        b.LoadStateDict(a.StateDict().ToDictionary(s => s.Name, s => s.Tensor));
        foreach (var ((_, x), (_, y)) in a.StateDict().Zip(b.StateDict())) Assert.True(x.ValueEquals(y));

        using var c = new AdamW([("q", Torch.Zeros(3).RequiresGrad_(true))]);
        var error = Assert.Throws<Composer.Layers.StateDictMismatchException>(() => c.LoadStateDict(a.StateDict().ToDictionary(s => s.Name, s => s.Tensor)));
        Assert.Contains("exp_avg.q", error.Missing);
        Assert.Contains("exp_avg.p", error.Unexpected);
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
}
