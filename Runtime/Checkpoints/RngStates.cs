using System;
using System.Collections.Generic;
using Composer.Tensors;

namespace Composer.Checkpoints;

/// <summary>
/// The default random generators' states (<c>torch.get_rng_state</c>, <c>torch.cuda.get_rng_state</c>)
/// as base64 text: restoring them makes a resumed run draw the same dropout masks as an uninterrupted one.
/// </summary>
/// <param name="Cpu">The CPU generator.</param>
/// <param name="Cuda">One state per CUDA device, by index; empty without CUDA.</param>
public sealed record RngStates(string Cpu, IReadOnlyList<string> Cuda)
{
    /// <summary>The states of the CPU generator and of every visible CUDA device's generator now.</summary>
    public static RngStates Capture()
    {
        var cuda = new List<string>();
        for (int i = 0; i < Torch.CudaDeviceCount; i++) cuda.Add(Encode(Device.Cuda(i)));
        return new RngStates(Encode(Device.Cpu), cuda);
    }

    /// <summary>Puts the generators back in the captured states.</summary>
    /// <exception cref="InvalidOperationException">The states were captured with more CUDA devices than this process sees.</exception>
    /// <exception cref="FormatException">A state is not base64.</exception>
    public void Restore()
    {
        if (Cuda.Count > Torch.CudaDeviceCount)
            throw new InvalidOperationException($"the checkpoint holds random states for {Cuda.Count} CUDA device(s) but this process sees {Torch.CudaDeviceCount}; resume on a machine with the same devices (or the run would not continue exactly)");
        Decode(Device.Cpu, Cpu);
        for (int i = 0; i < Cuda.Count; i++) Decode(Device.Cuda(i), Cuda[i]);
    }

    private static string Encode(Device device)
    {
        using var state = Torch.GetRngState(device);
        return Convert.ToBase64String(state.ToArray<byte>());
    }

    private static void Decode(Device device, string text)
    {
        var bytes = Convert.FromBase64String(text);
        using var state = Torch.From<byte>(bytes);
        Torch.SetRngState(device, state);
    }
}
