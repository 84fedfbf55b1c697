using System;

namespace Composer.Cli;

/// <summary>The command line was wrong in a way the parser cannot see (a missing choice between flags, an unknown model): usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
