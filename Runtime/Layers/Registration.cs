using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// Explicit registration of parameters and buffers, as every Composer module does it (no reflection:
/// the modules override <c>RegisterComponents</c> with nothing). What is registered lives as long as its
/// module, so it leaves any open dispose scope.
/// </summary>
public static class Registration
{
    /// <summary>Registers <paramref name="initial"/> as the trainable parameter <paramref name="name"/> and returns it.</summary>
    public static Parameter RegisterParameter(this nn.Module module, string name, Tensor initial)
    {
        var parameter = new Parameter(initial, requires_grad: true);
        parameter.DetachFromDisposeScope();
        module.register_parameter(name, parameter);
        return parameter;
    }

    /// <summary>Registers <paramref name="value"/> as the buffer <paramref name="name"/> (in the state dict when <paramref name="persistent"/>) and returns it.</summary>
    public static Tensor RegisterBuffer(this nn.Module module, string name, Tensor value, bool persistent = true)
    {
        value.DetachFromDisposeScope();
        module.register_buffer(name, value, persistent);
        return value;
    }
}
