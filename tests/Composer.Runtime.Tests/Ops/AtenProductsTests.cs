using System;
using System.Diagnostics;
using Composer.Tensors;
using Xunit;

namespace Composer.Tests.Ops;

/// <summary>
/// Linear layers run on oneDNN's sgemm where the libtorch install has it, and otherwise on ATen (with
/// one-row products on addmv). The rest of the suite checks whichever path this machine takes; this
/// test runs the linear reference checks again in a child process with <c>COMPOSER_GEMM=aten</c>, so
/// the other path is held to the same PyTorch references on every machine.
/// </summary>
public class AtenProductsTests
{
    [Fact]
    public void TheAtenPathPassesTheSameLinearChecks()
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet, ["exec", typeof(AtenProductsTests).Assembly.Location, AtenProductsChild.Command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["COMPOSER_GEMM"] = "aten";
        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        string error = child.StandardError.ReadToEnd();
        Assert.True(child.WaitForExit(TimeSpan.FromMinutes(2)), "the child process did not finish");
        Assert.True(child.ExitCode == 0, $"exit {child.ExitCode}\n{output}\n{error}");
        Assert.Contains("matrix products: ATen", output);
    }
}

/// <summary>The child side: every linear check of <see cref="FunctionalOpsTests"/>, run in this process.</summary>
public static class AtenProductsChild
{
    public const string Command = "aten-products";

    public static int Run()
    {
        Console.WriteLine("matrix products: " + Torch.MatrixProducts);
        if (Torch.MatrixProducts != "ATen")
        {
            Console.Error.WriteLine("COMPOSER_GEMM=aten did not take effect");
            return 1;
        }

        var tests = new FunctionalOpsTests();
        var checks = new (string Name, Action Check)[]
        {
            (nameof(tests.Linear), tests.Linear),
            (nameof(tests.LinearNoBias), tests.LinearNoBias),
            (nameof(tests.LinearOneRow), tests.LinearOneRow),
            (nameof(tests.LinearTransposedInput), tests.LinearTransposedInput),
            (nameof(tests.LinearLarge), tests.LinearLarge),
            (nameof(tests.LinearFloat64), tests.LinearFloat64),
            (nameof(tests.OneRowWithoutGradientsMatchesTheBatchedProduct), tests.OneRowWithoutGradientsMatchesTheBatchedProduct),
        };
        int failed = 0;
        foreach (var (name, check) in checks)
        {
            try
            {
                check();
                Console.WriteLine("passed " + name);
            }
            catch (Exception e)
            {
                failed++;
                Console.Error.WriteLine($"failed {name}: {e.Message}");
            }
        }

        return failed == 0 ? 0 : 1;
    }
}
