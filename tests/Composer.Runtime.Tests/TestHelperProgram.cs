using System;

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
        Console.Error.WriteLine("usage: dotnet exec Composer.Runtime.Tests.dll <helper> (PORT IN PROGRESS: no helpers yet)");
        return 2;
    }
}
