using System;

namespace Composer.Loading;

/// <summary>libtorch or TorchSharp's native library could not be loaded, or a requested device is missing. The message is one line with the fix.</summary>
public sealed class TorchLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TorchLoadException(string message, Exception? inner = null) : base(message, inner) { }
}
