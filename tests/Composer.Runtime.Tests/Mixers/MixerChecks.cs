using System;
using System.Collections.Generic;
using System.Reflection;
using Composer.Mixers;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

namespace Composer.Tests.Mixers;

/// <summary>The checks every mixer must pass, whatever its math: step = causal forward, reorder, no leaks, facts as data.</summary>
public static class MixerChecks
{
    /// <summary>
    /// Feeds <paramref name="x"/> (B, T, C) through <c>Step</c> one position at a time and compares the
    /// result with the causal full-sequence <c>Forward</c>.
    /// </summary>
    public static void StepMatchesForward<TState>(IIncrementalMixer<TState> mixer, Tensor x, double tolerance = Reference.Tolerance)
        where TState : IMixerState
    {
        using var scope = new TensorScope();
        using var noGrad = Torch.NoGrad();
        var full = mixer.Forward(x, null);
        using var state = mixer.NewState(x.Size(0));
        var stepped = StepAll(mixer, x, state);
        Reference.AssertClose(stepped, full, $"{mixer.GetType().Name}: Step, position by position, vs causal Forward", tolerance);
    }

    /// <summary>
    /// Steps a batch for <paramref name="prefix"/> positions, reorders the state with
    /// <paramref name="order"/> (a permutation or, as in beam search, repeated indices) and steps on:
    /// the outputs must equal stepping the reordered sequences from the start.
    /// </summary>
    public static void ReorderContinuesInTheNewOrder<TState>(IIncrementalMixer<TState> mixer, Tensor x, int prefix, long[] order, double tolerance = Reference.Tolerance)
        where TState : IMixerState
    {
        using var scope = new TensorScope();
        using var noGrad = Torch.NoGrad();
        long length = x.Size(1);
        var indices = Torch.From<long>(order);
        var reordered = x.IndexSelect(0, indices);

        using var state = mixer.NewState(x.Size(0));
        StepAll(mixer, x.Narrow(1, 0, prefix), state);
        state.Reorder(indices);
        var continued = StepAll(mixer, reordered.Narrow(1, prefix, length - prefix), state);

        using var fresh = mixer.NewState(order.Length);
        var expected = StepAll(mixer, reordered, fresh).Narrow(1, prefix, length - prefix);
        Reference.AssertClose(continued, expected, $"{mixer.GetType().Name}: stepping after Reorder([{string.Join(", ", order)}])", tolerance);
    }

    /// <summary>A forward and backward pass, then disposing its scope, leaves the live-tensor count where it was.</summary>
    public static void ForwardBackwardLeaksNothing(IMixer mixer, Tensor x, Tensor? padding)
    {
        long before = LiveTensors.Settled();
        using (var scope = new TensorScope())
        {
            var input = x.Detach().RequiresGrad_();
            mixer.Forward(input, padding).Sum().Backward();
            Assert.NotNull(input.Grad);
        }
        if (mixer is Composer.Layers.Module module) foreach (var p in module.Parameters()) p.ClearGrad();
        Assert.Equal(before, Torch.LiveTensors);
    }

    /// <summary>Stepping a whole sequence and disposing the state leaves the live-tensor count where it was.</summary>
    public static void StepLoopLeaksNothing<TState>(IIncrementalMixer<TState> mixer, Tensor x) where TState : IMixerState
    {
        long before = LiveTensors.Settled();
        using (var scope = new TensorScope())
        using (Torch.NoGrad())
        using (var state = mixer.NewState(x.Size(0)))
        {
            StepAll(mixer, x, state);
        }
        Assert.Equal(before, Torch.LiveTensors);
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
        for (long t = 0; t < x.Size(1); t++)
        {
            using var step = new TensorScope();
            outputs.Add(step.Escape(mixer.Step(x.Narrow(1, t, 1), state)));
        }
        return Torch.Cat(outputs.ToArray(), 1);
    }
}
