using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>Where and in which precision a module creates its parameters.</summary>
/// <param name="Device">The device every parameter lives on.</param>
/// <param name="DType">The parameters' floating-point type.</param>
public sealed record ModuleContext(Device Device, ScalarType DType = ScalarType.Float32)
{
    /// <summary>Float32 parameters on the CPU.</summary>
    public static ModuleContext Cpu { get; } = new(CPU);
}
