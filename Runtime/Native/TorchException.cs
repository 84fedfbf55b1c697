using System;

namespace Composer.Native;

/// <summary>An operation failed inside libtorch (bad shape, dtype, index, device, …). The message is libtorch's own.</summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception with libtorch's message.</summary>
    public TorchException(string message) : base(message) { }
}
