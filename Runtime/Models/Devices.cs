using System;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Models;

/// <summary>
/// Device facts the training loop, generation and the command line share. TorchSharp's <c>Device</c> is
/// a class without value equality, and every <c>tensor.device</c> is a new instance, so devices are
/// compared here by type and index.
/// </summary>
internal static class Devices
{
    /// <summary>Whether two devices name the same place (<c>cuda</c> and <c>cuda:0</c> do).</summary>
    public static bool Same(Device a, Device b) =>
        a.type == b.type && (a.type == DeviceType.CPU || Math.Max(a.index, 0) == Math.Max(b.index, 0));

    /// <summary>Where <paramref name="model"/>'s first parameter (or buffer) lives; the CPU for a model with neither.</summary>
    public static Device Of(object model)
    {
        if (model is not nn.Module module) return CPU;
        var first = module.parameters().Cast<Tensor>().FirstOrDefault() ?? module.buffers().FirstOrDefault();
        return first?.device ?? CPU;
    }

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <exception cref="FormatException">The text names no device; the message lists the accepted forms.</exception>
    public static Device Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return CPU;
        if (t == "cuda") return new Device(DeviceType.CUDA, 0);
        if (t.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return new Device(DeviceType.CUDA, index);
        throw new FormatException($"'{text}' is not a device; use cpu, cuda or cuda:N (N = 0, 1, …).");
    }
}
