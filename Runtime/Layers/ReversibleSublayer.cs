using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// One sublayer of a reversible stack (<see cref="Reversible"/>): the residual branch f of a layer's mixer,
/// cross or feed-forward sublayer, norm and residual dropout included, without the addition. It must
/// return a tensor of <paramref name="x"/>'s shape and be a function of its inputs, its parameters and the
/// random generators alone, so that running it again reproduces it.
/// </summary>
/// <param name="x">(B, T, C): the stream the sublayer reads.</param>
/// <param name="memory">The encoder output a cross sublayer attends to, (B, S, C); null in stacks without one.</param>
public delegate Tensor ReversibleSublayer(Tensor x, Tensor? memory);
