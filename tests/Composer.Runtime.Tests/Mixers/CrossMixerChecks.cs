using System.Collections.Generic;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>The checks every cross mixer must pass: step = forward, reorder, no leaks, facts as data.</summary>
public static class CrossMixerChecks
{
    /// <summary>
    /// Digests the memory once with <c>NewState</c>, feeds <paramref name="query"/> (B, T, C) through
    /// <c>Step</c> one position at a time and compares the result with <c>forward</c> of the whole target.
    /// </summary>
    public static void StepMatchesForward<TState>(IIncrementalCrossMixer<TState> mixer, Tensor query, Tensor memory, Tensor? memoryPadding,
        double tolerance = Reference.Tolerance) where TState : IMixerState
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var full = mixer.forward(query, memory, memoryPadding);
        using var state = mixer.NewState(memory, memoryPadding);
        var stepped = StepAll(mixer, query, state);
        Reference.AssertClose(stepped, full, $"{mixer.GetType().Name}: Step, position by position, vs forward", tolerance);
    }

    /// <summary>
    /// Steps a batch for <paramref name="prefix"/> positions, reorders the state with <paramref name="order"/>
    /// (a permutation or repeated indices, as in beam search) and steps on: the outputs must equal stepping
    /// the reordered queries against the reordered memories from the start.
    /// </summary>
    public static void ReorderContinuesInTheNewOrder<TState>(IIncrementalCrossMixer<TState> mixer, Tensor query, Tensor memory, Tensor? memoryPadding,
        int prefix, long[] order, double tolerance = Reference.Tolerance) where TState : IMixerState
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long length = query.shape[1];
        var indices = tensor(order);
        var reorderedQuery = query.index_select(0, indices);

        using var state = mixer.NewState(memory, memoryPadding);
        StepAll(mixer, query.narrow(1, 0, prefix), state);
        state.Reorder(indices);
        var continued = StepAll(mixer, reorderedQuery.narrow(1, prefix, length - prefix), state);

        using var fresh = mixer.NewState(memory.index_select(0, indices), memoryPadding?.index_select(0, indices));
        var expected = StepAll(mixer, reorderedQuery, fresh).narrow(1, prefix, length - prefix);
        Reference.AssertClose(continued, expected, $"{mixer.GetType().Name}: stepping after Reorder([{string.Join(", ", order)}])", tolerance);
    }

    /// <summary>A forward and backward pass, then disposing its scope, leaves the live-tensor count where it was.</summary>
    public static void ForwardBackwardLeaksNothing(ICrossMixer mixer, Tensor query, Tensor memory, Tensor? memoryPadding)
    {
        long before = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        {
            var q = query.detach().requires_grad_();
            var m = memory.detach().requires_grad_();
            mixer.forward(q, m, memoryPadding).sum().backward();
            Assert.NotNull(q.grad);
            Assert.NotNull(m.grad);
        }
        if (mixer is nn.Module module) module.zero_grad(set_to_none: true);
        Assert.Equal(before, LiveTensors.Count);
    }

    /// <summary>Stepping a whole target, reordering and disposing the state leaves the live-tensor count where it was.</summary>
    public static void StepLoopLeaksNothing<TState>(IIncrementalCrossMixer<TState> mixer, Tensor query, Tensor memory, Tensor? memoryPadding)
        where TState : IMixerState
    {
        long before = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        using (no_grad())
        using (var state = mixer.NewState(memory, memoryPadding))
        {
            StepAll(mixer, query, state);
            state.Reorder(arange(query.shape[0]).flip(0));
        }
        Assert.Equal(before, LiveTensors.Count);
    }

    private static Tensor StepAll<TState>(IIncrementalCrossMixer<TState> mixer, Tensor query, TState state) where TState : IMixerState
    {
        var outputs = new List<Tensor>();
        for (long t = 0; t < query.shape[1]; t++)
        {
            using var step = NewDisposeScope();
            outputs.Add(mixer.Step(query.narrow(1, t, 1), state).MoveToOuterDisposeScope());
        }
        return cat(outputs, 1);
    }
}
