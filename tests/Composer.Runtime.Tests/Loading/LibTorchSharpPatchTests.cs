using System;
using System.IO;
using System.Linq;
using Composer.Loading;
using TorchSharp;
using Xunit;

namespace Composer.Tests.Loading;

/// <summary>
/// The build step that lets TorchSharp load on hosts whose libstdc++ predates GCC 13: the ELF edit on
/// crafted libraries (one flag set, every other byte identical, idempotent, refusals), on the real
/// library from the NuGet package, and the proof that it ran: this very process loaded TorchSharp.
/// </summary>
public sealed class LibTorchSharpPatchTests : IDisposable
{
    private const string Version = LibTorchSharpPatch.Version;
    private readonly string _folder = Directory.CreateTempSubdirectory("composer-elf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CraftedElf TorchSharpLike() => new CraftedElf()
        .Needs("GLIBCXX_3.4.30", 2)
        .Needs(Version, 3)
        .Symbol("_Znwm", 2)
        .Symbol(LibTorchSharpPatch.MarkerSymbol, 3);

    [Fact]
    public void ReadsEveryVersionNeedAndTheSymbolsBoundToIt()
    {
        byte[] image = TorchSharpLike().Build();
        var needs = ElfVersionNeeds.Read(image, "crafted");
        Assert.Equal(["GLIBCXX_3.4.30", Version], needs.Select(n => n.Version));
        Assert.All(needs, n => Assert.Equal("libstdc++.so.6", n.File));
        Assert.All(needs, n => Assert.False(n.IsWeak));
        Assert.Equal([LibTorchSharpPatch.MarkerSymbol], ElfVersionNeeds.SymbolsBoundTo(image, "crafted", 3));
        Assert.Equal(["_Znwm"], ElfVersionNeeds.SymbolsBoundTo(image, "crafted", 2));
    }

    [Fact]
    public void MarkingWeakSetsOneFlagAndChangesNothingElse()
    {
        byte[] original = TorchSharpLike().Build();
        byte[] image = (byte[])original.Clone();
        Assert.True(ElfVersionNeeds.MarkWeak(image, Version));

        var needs = ElfVersionNeeds.Read(image, "crafted");
        Assert.True(needs.Single(n => n.Version == Version).IsWeak);
        Assert.False(needs.Single(n => n.Version == "GLIBCXX_3.4.30").IsWeak);
        int flags = needs.Single(n => n.Version == Version).FlagsOffset;
        var changed = Enumerable.Range(0, image.Length).Where(i => image[i] != original[i]).ToArray();
        Assert.Equal([flags], changed);
        Assert.Equal(0x02, image[flags]);

        // Idempotent: a second edit (every build re-copies and re-patches) changes nothing.
        byte[] again = (byte[])image.Clone();
        Assert.False(ElfVersionNeeds.MarkWeak(again, Version));
        Assert.Equal(image, again);
    }

    [Fact]
    public void DecidesByTheHostsLibstdcxx()
    {
        string oldHost = Write("old-libstdc++.so.6", new CraftedElf().Defines("GLIBCXX_3.4").Defines("GLIBCXX_3.4.30").Build());
        string newHost = Write("new-libstdc++.so.6", new CraftedElf().Defines("GLIBCXX_3.4.30").Defines(Version).Build());
        byte[] library = TorchSharpLike().Build();

        Assert.Equal(PatchOutcome.Patched, LibTorchSharpPatch.Decide(library, "lib", oldHost));
        Assert.Equal(PatchOutcome.Patched, LibTorchSharpPatch.Decide(library, "lib", hostLibstdcxx: null));
        Assert.Equal(PatchOutcome.HostHasVersion, LibTorchSharpPatch.Decide(library, "lib", newHost));
        byte[] other = new CraftedElf().Needs("GLIBCXX_3.4.30", 2).Symbol("_Znwm", 2).Build();
        Assert.Equal(PatchOutcome.NotNeeded, LibTorchSharpPatch.Decide(other, "lib", oldHost));

        string path = Write("libLibTorchSharp.so", library);
        Assert.Equal(PatchOutcome.Patched, LibTorchSharpPatch.Apply(path, oldHost));
        Assert.Equal(PatchOutcome.AlreadyWeak, LibTorchSharpPatch.Apply(path, oldHost));
        Assert.Equal(PatchOutcome.HostHasVersion, LibTorchSharpPatch.Apply(Write("fresh.so", library), newHost));
        Assert.Equal(library, File.ReadAllBytes(Path.Combine(_folder, "fresh.so")));
        Assert.False(File.Exists(path + ".composer-patch"), "the temporary file must be renamed over the library");
    }

    [Fact]
    public void RefusesWhenARealFunctionIsBoundToTheVersion()
    {
        byte[] library = new CraftedElf().Needs(Version, 3).Symbol(LibTorchSharpPatch.MarkerSymbol, 3).Symbol("_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE10_M_replaceEmmPKcm", 3).Build();
        var error = Assert.Throws<InvalidDataException>(() => LibTorchSharpPatch.Decide(library, "libX.so", hostLibstdcxx: null));
        Assert.Contains("binds _ZNSt7__cxx11", error.Message);
        Assert.Contains("GCC 13", error.Message);
    }

    [Fact]
    public void RefusesWhatIsNotA64BitElfLibraryWithAClearError()
    {
        var notElf = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read("this is a text file, not a library, padded to sixty-four bytes or more"u8.ToArray(), "notes.txt"));
        Assert.Equal("notes.txt is not an ELF file (it does not start with 0x7F 'ELF').", notElf.Message);

        byte[] elf32 = TorchSharpLike().Build();
        elf32[4] = 1;
        Assert.Contains("is not a 64-bit little-endian ELF file", Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(elf32, "lib32.so")).Message);

        byte[] truncated = TorchSharpLike().Build()[..200];
        Assert.Contains("truncated or malformed", Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(truncated, "cut.so")).Message);

        string text = Write("libLibTorchSharp.so", "not a library"u8.ToArray());
        Assert.Throws<InvalidDataException>(() => LibTorchSharpPatch.Apply(text, hostLibstdcxx: null));
        Assert.Equal("not a library"u8.ToArray(), File.ReadAllBytes(text));
    }

    [Fact]
    public void APatchedCopyNeverWritesThroughAHardLinkIntoThePackageCache()
    {
        // MSBuild can hard-link outputs to the NuGet cache; the patch replaces the output's directory
        // entry, so the cache's file keeps its bytes.
        byte[] library = TorchSharpLike().Build();
        string cache = Write("cache-libLibTorchSharp.so", library);
        string output = Path.Combine(_folder, "libLibTorchSharp.so");
        if (link(cache, output) != 0) throw new InvalidOperationException("cannot create a hard link in the temporary folder");
        Assert.Equal(PatchOutcome.Patched, LibTorchSharpPatch.Apply(output, hostLibstdcxx: null));
        Assert.Equal(library, File.ReadAllBytes(cache));
        Assert.NotEqual(library, File.ReadAllBytes(output));
    }

    [Fact]
    public void TheRealLibraryIsPatchedInTheOutputAndUntouchedInThePackageCache()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string cached = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), $"the build did not copy {output}");
        Assert.True(File.Exists(cached), $"the NuGet cache has no {cached}");

        byte[] original = File.ReadAllBytes(cached);
        var need = ElfVersionNeeds.Read(original, cached).Single(n => n.Version == Version);
        Assert.False(need.IsWeak, "the package's own copy must never be edited");
        Assert.Equal([LibTorchSharpPatch.MarkerSymbol], ElfVersionNeeds.SymbolsBoundTo(original, cached, need.Index));

        string? host = LibTorchSharpPatch.FindHostLibstdcxx();
        bool hostHasIt = host is not null && ElfVersionNeeds.Definitions(File.ReadAllBytes(host), host).Contains(Version);
        byte[] built = File.ReadAllBytes(output);
        Assert.Equal(!hostHasIt, ElfVersionNeeds.Read(built, output).Single(n => n.Version == Version).IsWeak);
        int differing = Enumerable.Range(0, built.Length).Count(i => built[i] != original[i]);
        Assert.Equal(hostHasIt ? 0 : 1, differing);
    }

    [Fact]
    public void TorchSharpLoadsInThisProcess()
    {
        TorchLoading.EnsureLoaded();
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(6, dtype: torch.ScalarType.Float32).view(2, 3);
        Assert.Equal(55f, x.matmul(x.T).trace().item<float>());
    }

    [Fact]
    public void ALoaderErrorBecomesOneLineWithTheFix()
    {
        string message = TorchLoading.Explain(
            "/app/runtimes/linux-x64/native/libLibTorchSharp.so: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/runtimes/linux-x64/native/libLibTorchSharp.so)");
        Assert.DoesNotContain('\n', message);
        Assert.Contains(Version, message);
        Assert.Contains("Composer.Runtime", message);
        string other = TorchLoading.Explain("libLibTorchSharp.so: cannot open shared object file: No such file or directory\nmore detail");
        Assert.DoesNotContain('\n', other);
        Assert.Contains("cannot open shared object file", other);
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int link(string existing, string created);
}
