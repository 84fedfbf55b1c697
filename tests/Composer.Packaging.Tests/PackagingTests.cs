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
/// <c>lib/</c> of Composer.Declarations, and Composer.Runtime carries its native shim under
/// <c>runtimes/</c>; a project that references the packages from a local folder (and nothing from the
/// repository) gets its model generated, builds, and runs the generated training executable.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private const string Version = "0.1.0";

    private readonly string _folder = Directory.CreateTempSubdirectory("composer-packaging-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void PackagesBuildAModelOutsideTheRepository()
    {
        string feed = Path.Combine(_folder, "feed");
        foreach (string project in new[] { "Declarations/Composer.Declarations.csproj", "Runtime/Composer.Runtime.csproj" })
        {
            Dotnet(Root, "pack", Path.Combine(Root, project), "-o", feed, "-p:ContinuousIntegrationBuild=true");
        }

        var declarations = Entries(Path.Combine(feed, $"Composer.Declarations.{Version}.nupkg"));
        Assert.Contains("analyzers/dotnet/cs/Composer.Generator.dll", declarations);
        Assert.Contains("lib/netstandard2.0/Composer.Declarations.dll", declarations);
        Assert.DoesNotContain(declarations, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));
        var runtime = Entries(Path.Combine(feed, $"Composer.Runtime.{Version}.nupkg"));
        Assert.Contains("lib/net10.0/Composer.Runtime.dll", runtime);
        Assert.Contains("runtimes/linux-x64/native/libcomposer_native.so", runtime);

        string consumer = Path.Combine(_folder, "consumer");
        Directory.CreateDirectory(consumer);
        // Composer's packages come from the folder just packed, nothing else does; the runtime's own
        // dependencies (command line, console) come from this machine's package cache, so the test
        // needs no network.
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="cache" value="{MachinePackages}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="Composer.*" />
                </packageSource>
                <packageSource key="cache">
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
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Models.cs"), """
            using Composer;

            [assembly: TrainingExecutable(typeof(Consumer.TinyLm))]

            namespace Consumer;

            [LanguageModel(Vocabulary = 64, Width = 32, Depth = 2, MaxLength = 64)]
            [LightweightConvolution(Layers = "0", Heads = 4, Kernels = new[] { 3 })]
            [SelfAttention(Layers = "1", Heads = 4)]
            public partial class TinyLm;
            """);

        // A private package folder: the packages just packed, never a cached copy of an older pack.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_folder, "packages") };
        Dotnet(consumer, environment, "build", "-c", "Release");
        string output = Dotnet(consumer, environment, "bin/Release/net10.0/Consumer.dll", "summary");
        Assert.Contains("TinyLm (LanguageModel", output, StringComparison.Ordinal);
        Assert.Contains("LightweightConvolution(K=3, H=4)", output, StringComparison.Ordinal);
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
