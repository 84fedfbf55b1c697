using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// The autograd function behind <see cref="Reversible.Forward"/>: its forward runs the coupling without
/// recording anything and keeps only the two final streams; its backward walks the sublayers from the
/// last, rebuilding each one's input by undoing its update and backpropagating through it once more.
/// Arguments: the input x (B, T, C), the memory (or null) and the sublayers.
/// </summary>
internal sealed class ReversibleFunction : torch.autograd.MultiTensorFunction<ReversibleFunction>
{
    private const string Sublayers = "sublayers", Replay = "replay";
    private static readonly Scalar Half = 0.5;

    public override string Name => "ReversibleStack";

    public override List<Tensor> forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var memory = vars[1] as Tensor;
        var sublayers = (IReadOnlyList<ReversibleSublayer>)vars[2];
        var replay = new RandomReplay(sublayers.Count, x.device);
        Tensor first = x, second = x;
        for (int k = 0; k < sublayers.Count; k++)
        {
            Tensor updated;
            // One scope per sublayer: nothing records a graph here, so all it made but the new stream
            // can go at once. This is where the memory is saved.
            using (var scope = NewDisposeScope())
            {
                replay.Before(k);
                updated = k % 2 == 0
                    ? first.add(Reversible.Run(sublayers, k, second, memory))
                    : second.add(Reversible.Run(sublayers, k, first, memory));
                updated.MoveToOuterDisposeScope();
            }
            if (k % 2 == 0) (first, _) = (updated, Release(first, x));
            else (second, _) = (updated, Release(second, x));
        }
        ctx.save_for_backward([first, second, memory!]);
        ctx.save_data(Sublayers, sublayers);
        ctx.save_data(Replay, replay);
        return [Reversible.Merge(first, second)];
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, List<Tensor> grads)
    {
        var sublayers = (IReadOnlyList<ReversibleSublayer>)ctx.get_data(Sublayers);
        var replay = (RandomReplay)ctx.get_data(Replay);
        byte[] generatorNow = RandomReplay.CpuState();
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        Tensor first = saved[0].detach(), second = saved[1].detach();
        Tensor? savedMemory = saved.Count > 2 && saved[2] is { IsInvalid: false } m ? m : null;
        // One leaf for the memory across all sublayers, so its gradient sums every cross sublayer's share.
        Tensor? memory = savedMemory?.detach().requires_grad_(savedMemory.requires_grad);
        // d(output)/d(x₁) = d(output)/d(x₂) = 1/2.
        Tensor firstGrad = grads[0].mul(Half), secondGrad = grads[0].mul(Half);
        try
        {
            for (int k = sublayers.Count - 1; k >= 0; k--)
            {
                bool even = k % 2 == 0;
                Tensor source = even ? second : first, target = even ? first : second;
                Tensor targetGrad = even ? firstGrad : secondGrad, sourceGrad = even ? secondGrad : firstGrad;
                Tensor previous, newSourceGrad;
                using (var step = NewDisposeScope())
                {
                    replay.Replay(k);
                    var input = source.detach().requires_grad_(true);
                    Tensor update;
                    using (enable_grad()) update = Reversible.Run(sublayers, k, input, memory);
                    // target = previous + update, so previous = target − update: the sublayer's input of
                    // the step before, rebuilt rather than stored.
                    previous = target.sub(update.detach()).MoveToOuterDisposeScope();
                    // The update's gradient is the target's (the addition passes it on): backpropagating it
                    // through the sublayer gives its parameters their gradients, and the source its share.
                    update.backward([targetGrad]);
                    newSourceGrad = (input.grad is { } g ? sourceGrad.add(g) : sourceGrad.clone()).MoveToOuterDisposeScope();
                }
                // What was replaced is not needed again: free it now, or the backward pass would hold
                // two tensors per sublayer until it ends.
                target.Dispose();
                sourceGrad.Dispose();
                if (even) (first, secondGrad) = (previous, newSourceGrad);
                else (second, firstGrad) = (previous, newSourceGrad);
            }
        }
        finally
        {
            // The generators continue from where the forward pass left them, as without recomputation.
            RandomReplay.SetCpuState(generatorNow);
        }
        // Both streams started as x: its gradient is the sum of theirs.
        var inputGrad = firstGrad.add(secondGrad).MoveToOuterDisposeScope();
        var memoryGrad = memory?.grad?.clone().MoveToOuterDisposeScope();
        return [inputGrad, memoryGrad!, null!];
    }

    /// <summary>Disposes a stream that has been replaced, unless it is the caller's input.</summary>
    private static bool Release(Tensor stream, Tensor input)
    {
        if (ReferenceEquals(stream, input)) return false;
        stream.Dispose();
        return true;
    }
}
