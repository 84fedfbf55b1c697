using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace Composer.Packaging.Tests;

/// <summary>
/// <c>dotnet pack</c> puts the generator under <c>analyzers/dotnet/cs</c> and the declarations under
/// <c>lib/</c> of Composer.Declarations; Composer.Runtime carries no native code, only its build step
/// for older Linux hosts under <c>buildTransitive/</c>. A project that references the packages from a
/// local folder (and nothing from the repository) plus TorchSharp-cpu, as a TorchSharp user's
/// application would, gets its model generated, builds, and trains it with the generated executable,
/// which needs TorchSharp's native library to load on this host.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    // A version no earlier run can have put in the package cache, so the build can only use the packages just made.
    private static readonly string Version = $"0.1.0-packaging.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    private readonly string _folder = Directory.CreateTempSubdirectory("composer-packaging-").FullName;

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        // The restore put this run's Composer packages in the machine's cache; they are of no further use.
        foreach (string id in new[] { "composer.declarations", "composer.runtime" })
        {
            string cached = Path.Combine(MachinePackages, id, Version);
            if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
        }
    }

    [Fact]
    public void PackagesBuildAModelOutsideTheRepository()
    {
        string feed = Path.Combine(_folder, "feed");
        foreach (string project in new[] { "Declarations/Composer.Declarations.csproj", "Runtime/Composer.Runtime.csproj" })
        {
            Dotnet(Root, "pack", Path.Combine(Root, project), "-o", feed, "-p:ContinuousIntegrationBuild=true", "-p:Version=" + Version);
        }

        var declarations = Entries(Path.Combine(feed, $"Composer.Declarations.{Version}.nupkg"));
        Assert.Contains("analyzers/dotnet/cs/Composer.Generator.dll", declarations);
        Assert.Contains("lib/netstandard2.0/Composer.Declarations.dll", declarations);
        Assert.DoesNotContain(declarations, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));
        var runtime = Entries(Path.Combine(feed, $"Composer.Runtime.{Version}.nupkg"));
        Assert.Contains("lib/net10.0/Composer.Runtime.dll", runtime);
        Assert.Contains("buildTransitive/Composer.Runtime.targets", runtime);
        Assert.Contains("buildTransitive/LibTorchSharpPatch.cs", runtime);
        Assert.DoesNotContain(runtime, e => e.StartsWith("runtimes/", StringComparison.Ordinal));

        string consumer = Path.Combine(_folder, "consumer");
        Directory.CreateDirectory(consumer);
        // Composer's packages come from the folder just packed, nothing else does; TorchSharp, libtorch and
        // the runtime's other dependencies come from NuGet (or the machine's package cache, where restored before).
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="Composer.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <WarningsAsErrors>$(WarningsAsErrors);CS8784;CS8785;CS9057</WarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Composer.Runtime" Version="{Version}" />
                <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Models.cs"), """
            using Composer;

            [assembly: TrainingExecutable(typeof(Consumer.TinyLm))]

            namespace Consumer;

            [LanguageModel(Vocabulary = 256, Width = 32, Depth = 2, MaxLength = 128)]
            [LightweightConvolution(Layers = "0", Heads = 4, Kernels = new[] { 3 })]
            [SelfAttention(Layers = "1", Heads = 4)]
            public partial class TinyLm;
            """);

        var environment = new Dictionary<string, string>();
        Dotnet(consumer, environment, "build", "-c", "Release");
        string summary = Dotnet(consumer, environment, "bin/Release/net10.0/Consumer.dll", "summary");
        Assert.Contains("TinyLm (LanguageModel", summary, StringComparison.Ordinal);
        Assert.Contains("LightweightConvolution(K=3, H=4)", summary, StringComparison.Ordinal);

        // Training needs libtorch: on a host whose libstdc++ lacks GLIBCXX_3.4.32 this loads only because
        // the package's buildTransitive step prepared the application's copy of TorchSharp's library.
        string run = Path.Combine(_folder, "run");
        string trained = Dotnet(consumer, environment, "bin/Release/net10.0/Consumer.dll", "train", "--model", "TinyLm", "--task", "agreement",
            "--steps", "3", "--eval-every", "3", "--tokens-per-batch", "256", "--test-examples", "4", "--run", run);
        Assert.True(File.Exists(Path.Combine(run, "metrics.jsonl")), "train wrote no metrics:\n" + trained);
        var steps = File.ReadLines(Path.Combine(run, "metrics.jsonl"))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("event").GetString() == "step")
            .Select(e => e.GetProperty("step").GetInt64());
        Assert.Contains(3L, steps);
    }

    /// <summary>The package cache of the machine running the tests (where restore put the runtime's dependencies).</summary>
    private static string MachinePackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static List<string> Entries(string package)
    {
        Assert.True(File.Exists(package), package + " was not produced");
        using var zip = ZipFile.OpenRead(package);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    private static string Dotnet(string directory, params string[] arguments) => Dotnet(directory, new Dictionary<string, string>(), arguments);

    private static string Dotnet(string directory, Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        // The test host's own MSBuild settings must not leak into the child builds.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(900_000), $"dotnet {string.Join(' ', arguments)} did not finish within 15 minutes");
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output}\n{error.Result}");
        return output;
    }

    private static string Root { get; } = FindRoot();

    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "")
    {
        for (string? dir = Path.GetDirectoryName(path); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Composer.sln"))) return dir;
        }

        throw new InvalidOperationException("Cannot find the repository root (Composer.sln) above " + path);
    }
}
