using System;
using System.Collections.Generic;
using Composer.Mixers;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

namespace Composer.Tests.Mixers;

/// <summary>The checks every cross mixer must pass: step = forward, reorder, no leaks, facts as data.</summary>
public static class CrossMixerChecks
{
    /// <summary>
    /// Digests the memory once with <c>NewState</c>, feeds <paramref name="query"/> (B, T, C) through
    /// <c>Step</c> one position at a time and compares the result with <c>Forward</c> of the whole target.
    /// </summary>
    public static void StepMatchesForward<TState>(IIncrementalCrossMixer<TState> mixer, Tensor query, Tensor memory, Tensor? memoryPadding,
        double tolerance = Reference.Tolerance) where TState : IMixerState
    {
        using var scope = new TensorScope();
        using var noGrad = Torch.NoGrad();
        var full = mixer.Forward(query, memory, memoryPadding);
        using var state = mixer.NewState(memory, memoryPadding);
        var stepped = StepAll(mixer, query, state);
        Reference.AssertClose(stepped, full, $"{mixer.GetType().Name}: Step, position by position, vs Forward", tolerance);
    }

    /// <summary>
    /// Steps a batch for <paramref name="prefix"/> positions, reorders the state with <paramref name="order"/>
    /// (a permutation or repeated indices, as in beam search) and steps on: the outputs must equal stepping
    /// the reordered queries against the reordered memories from the start.
    /// </summary>
    public static void ReorderContinuesInTheNewOrder<TState>(IIncrementalCrossMixer<TState> mixer, Tensor query, Tensor memory, Tensor? memoryPadding,
        int prefix, long[] order, double tolerance = Reference.Tolerance) where TState : IMixerState
    {
        using var scope = new TensorScope();
        using var noGrad = Torch.NoGrad();
        long length = query.Size(1);
        var indices = Torch.From<long>(order);
        var reorderedQuery = query.IndexSelect(0, indices);

        using var state = mixer.NewState(memory, memoryPadding);
        StepAll(mixer, query.Narrow(1, 0, prefix), state);
        state.Reorder(indices);
        var continued = StepAll(mixer, reorderedQuery.Narrow(1, prefix, length - prefix), state);

        using var fresh = mixer.NewState(memory.IndexSelect(0, indices), memoryPadding?.IndexSelect(0, indices));
        var expected = StepAll(mixer, reorderedQuery, fresh).Narrow(1, prefix, length - prefix);
        Reference.AssertClose(continued, expected, $"{mixer.GetType().Name}: stepping after Reorder([{string.Join(", ", order)}])", tolerance);
    }

    /// <summary>A forward and backward pass, then disposing its scope, leaves the live-tensor count where it was.</summary>
    public static void ForwardBackwardLeaksNothing(ICrossMixer mixer, Tensor query, Tensor memory, Tensor? memoryPadding)
    {
        long before = LiveTensors.Settled();
        using (var scope = new TensorScope())
        {
            var q = query.Detach().RequiresGrad_();
            var m = memory.Detach().RequiresGrad_();
            mixer.Forward(q, m, memoryPadding).Sum().Backward();
            Assert.NotNull(q.Grad);
            Assert.NotNull(m.Grad);
        }
        if (mixer is Composer.Layers.Module module) foreach (var p in module.Parameters()) p.ClearGrad();
        Assert.Equal(before, Torch.LiveTensors);
    }

    /// <summary>Stepping a whole target, reordering and disposing the state leaves the live-tensor count where it was.</summary>
    public static void StepLoopLeaksNothing<TState>(IIncrementalCrossMixer<TState> mixer, Tensor query, Tensor memory, Tensor? memoryPadding)
        where TState : IMixerState
    {
        long before = LiveTensors.Settled();
        using (var scope = new TensorScope())
        using (Torch.NoGrad())
        using (var state = mixer.NewState(memory, memoryPadding))
        {
            StepAll(mixer, query, state);
            state.Reorder(Torch.Arange(query.Size(0)).Flip(0));
        }
        Assert.Equal(before, Torch.LiveTensors);
    }

    private static Tensor StepAll<TState>(IIncrementalCrossMixer<TState> mixer, Tensor query, TState state) where TState : IMixerState
    {
        var outputs = new List<Tensor>();
        for (long t = 0; t < query.Size(1); t++)
        {
            using var step = new TensorScope();
            outputs.Add(step.Escape(mixer.Step(query.Narrow(1, t, 1), state)));
        }
        return Torch.Cat(outputs.ToArray(), 1);
    }
}
