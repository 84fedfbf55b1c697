using System;

namespace Composer.Distributed;

/// <summary>
/// A collective operation could not complete: another rank died, hangs, or the transport failed. The
/// job cannot go on; the message says what was seen and on which rank.
/// </summary>
public sealed class CollectiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CollectiveException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public CollectiveException(string message, Exception inner) : base(message, inner) { }
}
