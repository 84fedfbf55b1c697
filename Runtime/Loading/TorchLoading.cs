using System;
using System.IO;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Composer.Loading;

/// <summary>
/// Loads libtorch and TorchSharp's native library before TorchSharp itself tries, so a failure is one
/// line that says what is missing and how to fix it. (TorchSharp's own message, after a failed load,
/// blames a missing package reference even when the cause is an old libstdc++, prints a page of trace,
/// and copies about 480 MB of libraries into the output folder to try again.)
/// </summary>
public static class TorchLoading
{
    private static readonly object Gate = new();
    private static bool s_loaded;

    /// <summary>Makes sure libtorch's CPU backend and TorchSharp's native library are loaded.</summary>
    /// <exception cref="TorchLoadException">They cannot be loaded; the message names the cause and the fix.</exception>
    public static void EnsureLoaded()
    {
        if (s_loaded) return;
        lock (Gate)
        {
            if (s_loaded) return;
            var assembly = typeof(torch).Assembly;
            if (!NativeLibrary.TryLoad("torch_cpu", assembly, null, out _))
                throw new TorchLoadException(
                    "libtorch is missing: this application references TorchSharp but no libtorch backend. Add <PackageReference Include=\"libtorch-cpu-linux-x64\" Version=\"2.10.0\" /> " +
                    "(or TorchSharp-cpu on other systems, or TorchSharp-cuda-linux for NVIDIA GPUs) to the application's project and build again.");
            try
            {
                NativeLibrary.Load("LibTorchSharp", assembly, null);
            }
            catch (DllNotFoundException e)
            {
                throw new TorchLoadException(Explain(e.Message), e);
            }
            torch.InitializeDeviceType(DeviceType.CPU);
            s_loaded = true;
        }
    }

    /// <summary>Makes sure <paramref name="device"/> can hold tensors: libtorch is loaded and, for CUDA, a CUDA backend and a GPU are present.</summary>
    /// <exception cref="TorchLoadException">The device is not available; the message says why and what to do.</exception>
    public static void EnsureDevice(torch.Device device)
    {
        EnsureLoaded();
        if (device.type != DeviceType.CUDA) return;
        if (!torch.cuda.is_available())
            throw new TorchLoadException(
                "CUDA was requested but is not available: this application loads libtorch's CPU backend, or no NVIDIA GPU and driver are present. " +
                "Reference TorchSharp-cuda-linux (instead of libtorch-cpu-linux-x64) and run on a machine with a GPU, or use --device cpu.");
        if (device.index >= torch.cuda.device_count())
            throw new TorchLoadException($"{device} was requested but this machine has {torch.cuda.device_count()} CUDA device(s), numbered from 0; choose one of those.");
    }

    // What the dynamic loader said, turned into the cause and the fix.
    internal static string Explain(string loaderMessage)
    {
        if (loaderMessage.Contains(LibTorchSharpPatch.Version, StringComparison.Ordinal))
        {
            string host = LibTorchSharpPatch.FindHostLibstdcxx() ?? "this system's libstdc++";
            return $"TorchSharp's native library needs {LibTorchSharpPatch.Version} (GCC 13's libstdc++), which {host} lacks. " +
                   "Build the application with Composer.Runtime referenced (its build step marks that need weak in the output's copy), " +
                   "or install a libstdc++ from GCC 13 or newer.";
        }
        string firstLine = loaderMessage.Split('\n', 2)[0].Trim();
        return $"TorchSharp's native library (libLibTorchSharp) could not be loaded: {firstLine}. " +
               "Check that the application's output folder has runtimes/<platform>/native/ from the TorchSharp package (dotnet build or publish puts it there).";
    }
}
