using System;

namespace Composer.Checkpoints;

/// <summary>
/// A file, stream or buffer is not a valid safetensors file. The message says what is wrong and where
/// (which tensor, which offsets, which byte). This is the only exception the safetensors reader throws
/// for malformed content; I/O failures of the underlying file still surface as <see cref="System.IO.IOException"/>.
/// </summary>
public sealed class SafetensorsFormatException : Exception
{
    /// <summary>Creates the exception for content read from <paramref name="path"/> (null when not read from a file).</summary>
    public SafetensorsFormatException(string problem, string? path = null)
        : base(path is null ? $"invalid safetensors data: {problem}" : $"invalid safetensors file '{path}': {problem}")
    {
        Problem = problem;
        FilePath = path;
    }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }

    /// <summary>The file that was read, or null when the content came from a stream or a buffer.</summary>
    public string? FilePath { get; }
}
