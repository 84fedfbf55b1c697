using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// Reversible residual stacks (RevNet's coupling, as Reformer uses it: MIXERS.md §9). The stack's input x
/// becomes two streams, x₁ = x₂ = x; the sublayers f₀, f₁, … of its layers (mixer, cross, feed-forward,
/// in order) update them in turn, even ones x₁ ← x₁ + f(x₂), odd ones x₂ ← x₂ + f(x₁), so a pre-norm
/// layer is Y₁ = X₁ + Mixer(X₂), Y₂ = X₂ + FFN(Y₁); the stack's output is (x₁ + x₂) / 2. Every update
/// can be undone, x₁ = y₁ − f(x₂), so training need not keep any sublayer's activations: the backward
/// pass rebuilds each sublayer's input from the outputs, runs the sublayer again with the random
/// generator as it was (the same dropout masks), and backpropagates through that one sublayer. Memory for
/// activations is then that of one sublayer whatever the depth, for one more forward pass of compute.
/// </summary>
/// <remarks>
/// <see cref="Forward"/> and <see cref="Direct"/> compute the same function; their gradients agree (the
/// tests compare them, with dropout, and with an independent PyTorch reference). Generated reversible
/// stacks use <see cref="Forward"/> in <c>forward</c> and <see cref="Direct"/> in <c>Step</c>, whose mixer
/// states advance in place and so must not run twice.
/// </remarks>
public static class Reversible
{
    private static readonly Scalar Half = 0.5;

    /// <summary>
    /// The reversible stack over <paramref name="x"/> (B, T, C). When gradients are being recorded, only
    /// the two final streams are kept for the backward pass, which recomputes the rest; otherwise it is
    /// <see cref="Direct"/>. The stack's parameters get their gradients during the backward pass, as
    /// through any other module (also when nothing before the stack needs one).
    /// </summary>
    /// <param name="x">(B, T, C): the stack's input.</param>
    /// <param name="sublayers">The residual branches, in order; each is run once forward and once more backward.</param>
    /// <param name="memory">The encoder output the cross sublayers attend to, or null; it gets its gradient too.</param>
    /// <returns>(B, T, C): (x₁ + x₂) / 2 after the last sublayer.</returns>
    public static Tensor Forward(Tensor x, IReadOnlyList<ReversibleSublayer> sublayers, Tensor? memory = null)
    {
        Check(x, sublayers);
        if (!is_grad_enabled()) return Direct(x, sublayers, memory);
        // The function's output needs a gradient only if an input does; the parameters inside the
        // sublayers are no inputs of it, so the input is made one that asks for a gradient.
        var input = x.requires_grad ? x : x.detach().requires_grad_(true);
        return ReversibleFunction.apply(input, memory, sublayers)[0];
    }

    /// <summary>
    /// The same coupling computed step by step, every activation left to autograd as in any other stack:
    /// what decoding steps use (a mixer's state must advance once per step) and what evaluation without
    /// gradients uses.
    /// </summary>
    /// <param name="x">(B, T, C): the stack's input.</param>
    /// <param name="sublayers">The residual branches, in order.</param>
    /// <param name="memory">The encoder output the cross sublayers attend to, or null.</param>
    /// <returns>(B, T, C): (x₁ + x₂) / 2 after the last sublayer.</returns>
    public static Tensor Direct(Tensor x, IReadOnlyList<ReversibleSublayer> sublayers, Tensor? memory = null)
    {
        Check(x, sublayers);
        Tensor first = x, second = x;
        for (int k = 0; k < sublayers.Count; k++)
        {
            if (k % 2 == 0) first = first + Run(sublayers, k, second, memory);
            else second = second + Run(sublayers, k, first, memory);
        }
        return Merge(first, second);
    }

    /// <summary>(x₁ + x₂) / 2, the stack's output.</summary>
    internal static Tensor Merge(Tensor first, Tensor second) => first.add(second).mul_(Half);

    /// <summary>Runs sublayer <paramref name="k"/> and checks that it kept the stream's shape.</summary>
    internal static Tensor Run(IReadOnlyList<ReversibleSublayer> sublayers, int k, Tensor stream, Tensor? memory)
    {
        var update = sublayers[k](stream, memory);
        if (update is null || !update.shape.AsSpan().SequenceEqual(stream.shape))
            throw new InvalidOperationException(
                $"reversible sublayer {k} must keep its input's shape [{string.Join(", ", stream.shape)}], but returned {(update is null ? "null" : "[" + string.Join(", ", update.shape) + "]")}");
        return update;
    }

    private static void Check(Tensor x, IReadOnlyList<ReversibleSublayer> sublayers)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(sublayers);
        if (sublayers.Count == 0) throw new ArgumentException("a reversible stack needs at least one sublayer", nameof(sublayers));
    }
}
