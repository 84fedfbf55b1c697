using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// How a decoding state takes a new position. Decoding normally runs without gradients, and then a
/// state writes into its preallocated buffers in place: one op per token, nothing reallocated. When
/// autograd records through the step (the step's input needs a gradient, or an earlier step already put
/// the state in the graph), an in-place write would change a tensor an earlier step saved for its
/// backward, and libtorch would refuse the backward pass; the state then takes a new tensor instead.
/// </summary>
internal static class StateWrites
{
    /// <summary>Whether <paramref name="incoming"/> may be written into <paramref name="buffer"/> in place.</summary>
    public static bool InPlace(Tensor incoming, Tensor buffer) => !incoming.requires_grad && !buffer.requires_grad;
}
