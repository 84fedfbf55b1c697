using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Training;

/// <summary>
/// Values read back from tensors on any device, without TorchSharp's conveniences that leave a native
/// <c>Scalar</c> or a CPU copy for the finalizer (<c>ToDouble()</c> makes a Scalar it never releases).
/// </summary>
internal static class Readback
{
    /// <summary>The value of a one-element tensor (waits for the device).</summary>
    public static double Double(Tensor value)
    {
        using var scalar = value.ToScalar();
        return scalar.ToDouble();
    }

    /// <summary>The elements of <paramref name="value"/> in row-major order, copied to a new array.</summary>
    public static T[] Array<T>(Tensor value) where T : unmanaged
    {
        // TorchSharp's accessor throws for an empty tensor of more than one dimension.
        if (value.numel() == 0) return [];
        if (value.device_type == DeviceType.CPU) return value.data<T>().ToArray();
        using var host = value.cpu();
        return host.data<T>().ToArray();
    }
}
