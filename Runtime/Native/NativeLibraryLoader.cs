using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// Every P/Invoke of the shim is blittable (handles, pointers, numbers, plain structs), so the
// runtime's marshalling layer is turned off: a call costs the transition and nothing else.
[assembly: DisableRuntimeMarshalling]

namespace Composer.Native;

/// <summary>
/// Resolves the shim (<c>libcomposer_native.so</c>) from the folder of Composer.Runtime.dll, where the
/// build puts it, and turns a load failure into one message that says how to fix it.
/// </summary>
internal static class NativeLibraryLoader
{
    internal const string LibraryName = "composer_native";
    private const string FileName = "libcomposer_native.so";

    // A library-level module initializer is the one place that runs before any P/Invoke of this
    // assembly, which is exactly when the resolver must be in place.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, FileName),
            Path.Combine(Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory, FileName),
            // Where a build that consumes the Composer.Runtime package puts the package's native asset.
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", FileName),
        };
        string? failure = null;
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) continue;
            try
            {
                return NativeLibrary.Load(path);
            }
            catch (DllNotFoundException e)
            {
                failure = e.Message;
            }
        }
        throw new DllNotFoundException(failure is null
            ? $"Composer's native shim ({FileName}) is not next to Composer.Runtime.dll ({candidates[1]}). Rebuild with `dotnet build`; the build compiles it with CMake."
            : $"Composer's native shim was found but could not be loaded: {failure}. Its libtorch libraries must be loadable: install `libtorch-dev` (apt-get) or point COMPOSER_LIBTORCH at the libtorch the shim was built against, then rebuild.");
    }
}
