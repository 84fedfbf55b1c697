using System;
using System.Linq;
using System.Collections.Generic;
using System.Reflection;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>The checks every mixer must pass, whatever its math: step = causal forward, reorder, no leaks, facts as data.</summary>
public static class MixerChecks
{
    /// <summary>
    /// Feeds <paramref name="x"/> (B, T, C) through <c>Step</c> one position at a time and compares the
    /// result with the causal full-sequence <c>forward</c>: without gradients (decoding, where states are
    /// written in place), and again recording gradients, where the input's and every parameter's
    /// gradient must be the forward's too (a state written in place under autograd would make libtorch
    /// refuse the backward pass, or cut the graph between steps).
    /// </summary>
    public static void StepMatchesForward<TState>(IIncrementalMixer<TState> mixer, Tensor x, double tolerance = Reference.Tolerance)
        where TState : IMixerState
    {
        string name = mixer.GetType().Name;
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var full = mixer.forward(x, null);
            using var state = mixer.NewState(x.shape[0]);
            var stepped = StepAll(mixer, x, state);
            Reference.AssertClose(stepped, full, $"{name}: Step, position by position, vs causal Forward", tolerance);
        }

        var module = (nn.Module)mixer;
        bool training = module.training;
        module.eval();
        manual_seed(17);
        var upstream = randn(x.shape, x.dtype);
        var (forwardInput, forwardParameters) = Gradients(module, x, input => mixer.forward(input, null), upstream);
        var (stepInput, stepParameters) = Gradients(module, x, input =>
        {
            using var state = mixer.NewState(x.shape[0]);
            return StepAll(mixer, input, state);
        }, upstream);
        module.train(training);
        Reference.AssertClose(stepInput, forwardInput, $"{name}: input gradient through Step vs causal Forward", tolerance);
        foreach (var (parameter, gradient) in forwardParameters)
            Reference.AssertClose(stepParameters[parameter], gradient, $"{name}: gradient of {parameter} through Step vs causal Forward", tolerance);
    }

    // The gradients of sum(run(x) · upstream) with respect to x and to every parameter (zeros where none flows).
    private static (Tensor Input, Dictionary<string, Tensor> Parameters) Gradients(nn.Module module, Tensor x, Func<Tensor, Tensor> run, Tensor upstream)
    {
        module.zero_grad(set_to_none: true);
        var input = x.detach().requires_grad_();
        run(input).mul(upstream).sum().backward();
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.clone() ?? zeros_like(p.parameter));
        var inputGradient = input.grad!.clone();
        module.zero_grad(set_to_none: true);
        return (inputGradient, parameters);
    }

    /// <summary>
    /// Steps a batch for <paramref name="prefix"/> positions, reorders the state with
    /// <paramref name="order"/> (a permutation or, as in beam search, repeated indices) and steps on:
    /// the outputs must equal stepping the reordered sequences from the start.
    /// </summary>
    public static void ReorderContinuesInTheNewOrder<TState>(IIncrementalMixer<TState> mixer, Tensor x, int prefix, long[] order, double tolerance = Reference.Tolerance)
        where TState : IMixerState
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long length = x.shape[1];
        var indices = tensor(order);
        var reordered = x.index_select(0, indices);

        using var state = mixer.NewState(x.shape[0]);
        StepAll(mixer, x.narrow(1, 0, prefix), state);
        state.Reorder(indices);
        var continued = StepAll(mixer, reordered.narrow(1, prefix, length - prefix), state);

        using var fresh = mixer.NewState(order.Length);
        var expected = StepAll(mixer, reordered, fresh).narrow(1, prefix, length - prefix);
        Reference.AssertClose(continued, expected, $"{mixer.GetType().Name}: stepping after Reorder([{string.Join(", ", order)}])", tolerance);
    }

    /// <summary>A forward and backward pass, then disposing its scope, leaves the live-tensor count where it was.</summary>
    public static void ForwardBackwardLeaksNothing(IMixer mixer, Tensor x, Tensor? padding)
    {
        long before = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        {
            var input = x.detach().requires_grad_();
            mixer.forward(input, padding).sum().backward();
            Assert.NotNull(input.grad);
        }
        if (mixer is nn.Module module) module.zero_grad(set_to_none: true);
        Assert.Equal(before, LiveTensors.Count);
    }

    /// <summary>Stepping a whole sequence and disposing the state leaves the live-tensor count where it was.</summary>
    public static void StepLoopLeaksNothing<TState>(IIncrementalMixer<TState> mixer, Tensor x) where TState : IMixerState
    {
        long before = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        using (no_grad())
        using (var state = mixer.NewState(x.shape[0]))
        {
            StepAll(mixer, x, state);
        }
        Assert.Equal(before, LiveTensors.Count);
    }

    /// <summary>The mixer's <see cref="IMixer.Facts"/> agree with the <see cref="MixerFactsAttribute"/> on its class.</summary>
    public static void FactsMatchAttribute(IMixer mixer) => FactsMatchAttribute(mixer.GetType(), mixer.Facts);

    /// <summary>Same check for a cross mixer.</summary>
    public static void FactsMatchAttribute(ICrossMixer mixer) => FactsMatchAttribute(mixer.GetType(), mixer.Facts);

    private static void FactsMatchAttribute(Type type, MixerFacts facts)
    {
        var attribute = type.GetCustomAttribute<MixerFactsAttribute>();
        Assert.True(attribute is not null, $"{type.Name} has no [MixerFacts] attribute");
        Assert.Equal(attribute!.CausalCapable, facts.CausalCapable);
        Assert.Equal(attribute.AlignmentFree, facts.AlignmentFree);
        Assert.Equal(attribute.Needs, facts.Needs);
        Assert.Equal(attribute.Cost, facts.Cost);
        Assert.False(string.IsNullOrWhiteSpace(facts.Name));
    }

    /// <summary>Steps every position of <paramref name="x"/>, each in its own scope, and returns the outputs joined along time.</summary>
    private static Tensor StepAll<TState>(IIncrementalMixer<TState> mixer, Tensor x, TState state) where TState : IMixerState
    {
        var outputs = new List<Tensor>();
        for (long t = 0; t < x.shape[1]; t++)
        {
            using var step = NewDisposeScope();
            outputs.Add(mixer.Step(x.narrow(1, t, 1), state).MoveToOuterDisposeScope());
        }
        return cat(outputs, 1);
    }
}
