using System;

namespace Composer.Distributed;

/// <summary>The MPI library a multi-process job needs cannot be loaded or used; the message says how to fix it.</summary>
public sealed class MpiUnavailableException(string message) : Exception(message);
