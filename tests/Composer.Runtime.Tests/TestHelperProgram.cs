using System;
using Composer.Tests.Training;

namespace Composer.Tests;

/// <summary>
/// The test assembly's entry point, used only when a test starts it as a child process
/// (<c>dotnet exec Composer.Runtime.Tests.dll &lt;helper&gt; …</c>); the test runner never calls it.
/// </summary>
public static class TestHelperProgram
{
    /// <summary>Runs the named helper; exit code 2 for an unknown one.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == CheckpointWriterChild.Command) return CheckpointWriterChild.Run(args[1]);
        Console.Error.WriteLine($"usage: dotnet exec Composer.Runtime.Tests.dll {CheckpointWriterChild.Command} <run folder>");
        return 2;
    }
}
