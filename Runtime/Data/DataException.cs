using System;

namespace Composer.Data;

/// <summary>
/// Bad input data: a missing or empty file, invalid UTF-8, a malformed TSV line, an example that does
/// not fit the model. The message is one line saying what is wrong and where (file, line, byte
/// offset); the command line prints it and exits with code 1.
/// </summary>
public sealed class DataException : Exception
{
    /// <summary>A data error with a complete one-line message.</summary>
    public DataException(string message) : base(message) { }

    /// <summary>A data error caused by another exception (an I/O failure).</summary>
    public DataException(string message, Exception inner) : base(message, inner) { }

    /// <summary>"<c>path: what</c>", or "<c>path:line: what</c>" when the line is known (compiler style).</summary>
    internal static DataException At(string path, long? line, string what) =>
        new(line is { } l ? $"{path}:{l}: {what}" : $"{path}: {what}");
}
