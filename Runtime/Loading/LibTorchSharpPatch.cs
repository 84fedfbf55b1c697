#nullable enable
// Marks libLibTorchSharp.so's need for GLIBCXX_3.4.32 weak, so TorchSharp 0.107 loads on hosts whose
// libstdc++ predates GCC 13 (Debian 12, Ubuntu 22.04). Why that is sound: the only symbol bound to that
// version is _ZSt21ios_base_library_initv, a marker GCC 13's <iostream> references so the linker picks a
// new-enough libstdc++; it has no relocation and is never called. glibc checks every entry of a
// library's version needs at load time, and skips a missing one only when the entry is flagged weak.
//
// This one file serves twice: Composer.Runtime compiles it (COMPOSER_RUNTIME defined) to diagnose a load
// failure and for tests; build/Composer.Runtime.targets compiles it as an inline MSBuild task (without
// COMPOSER_RUNTIME) that patches the output copy after every build and publish. MSBuild compiles inline
// tasks against netstandard2.0, hence byte arrays and hand-written little-endian reads.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Composer.Loading
{
    /// <summary>What <see cref="LibTorchSharpPatch.Apply"/> did to a library.</summary>
    internal enum PatchOutcome
    {
        /// <summary>The GLIBCXX_3.4.32 need was strong and is now weak.</summary>
        Patched,
        /// <summary>The need was already weak (an earlier build patched this copy).</summary>
        AlreadyWeak,
        /// <summary>The library does not need GLIBCXX_3.4.32 (another TorchSharp version): nothing to do.</summary>
        NotNeeded,
        /// <summary>The host's libstdc++ has GLIBCXX_3.4.32, so the library loads as it is.</summary>
        HostHasVersion,
    }

    /// <summary>The policy: patch the GLIBCXX_3.4.32 need of one library when, and only when, it is safe and needed.</summary>
    internal static class LibTorchSharpPatch
    {
        /// <summary>The version GCC 13's libstdc++ introduced, which TorchSharp 0.107's library asks for.</summary>
        public const string Version = "GLIBCXX_3.4.32";

        /// <summary>The only symbol TorchSharp's library binds to <see cref="Version"/>; never called (see the file's header).</summary>
        public const string MarkerSymbol = "_ZSt21ios_base_library_initv";

        /// <summary>
        /// Patches <paramref name="libraryPath"/> in place unless <paramref name="hostLibstdcxx"/> (the host's
        /// libstdc++.so.6, or null when none was found) already defines <see cref="Version"/>.
        /// </summary>
        /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF library, or binds real symbols to the version.</exception>
        public static PatchOutcome Apply(string libraryPath, string? hostLibstdcxx)
        {
            byte[] image = File.ReadAllBytes(libraryPath);
            var outcome = Decide(image, libraryPath, hostLibstdcxx);
            if (outcome != PatchOutcome.Patched) return outcome;
            ElfVersionNeeds.MarkWeak(image, Version);
            // Write beside and rename over: an interrupted build never leaves a half-written library, and a
            // copy that is a hard link into the NuGet cache is replaced, never edited through.
            string temporary = libraryPath + ".composer-patch";
            File.WriteAllBytes(temporary, image);
            File.Replace(temporary, libraryPath, destinationBackupFileName: null);
            return PatchOutcome.Patched;
        }

        /// <summary>What <see cref="Apply"/> would do to <paramref name="image"/>, without changing it.</summary>
        public static PatchOutcome Decide(byte[] image, string name, string? hostLibstdcxx)
        {
            ElfVersionNeeds.Need? need = null;
            foreach (var n in ElfVersionNeeds.Read(image, name))
                if (n.Version == Version) need = n;
            if (need is null) return PatchOutcome.NotNeeded;
            if (need.IsWeak) return PatchOutcome.AlreadyWeak;
            if (hostLibstdcxx is not null && ElfVersionNeeds.Definitions(File.ReadAllBytes(hostLibstdcxx), hostLibstdcxx).Contains(Version))
                return PatchOutcome.HostHasVersion;
            foreach (string symbol in ElfVersionNeeds.SymbolsBoundTo(image, name, need.Index))
            {
                if (symbol != MarkerSymbol)
                    throw new InvalidDataException(
                        $"{name} binds {symbol} to {Version}, not only the marker {MarkerSymbol}: marking that need weak would load a library that calls a missing function. Install a libstdc++ from GCC 13 or newer instead.");
            }
            return PatchOutcome.Patched;
        }

        /// <summary>
        /// The libstdc++.so.6 the dynamic loader would pick: the first in LD_LIBRARY_PATH, then the
        /// usual system folders; null when there is none (then patching is the safe choice).
        /// </summary>
        public static string? FindHostLibstdcxx()
        {
            var folders = new List<string>();
            string? libraryPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            if (!string.IsNullOrEmpty(libraryPath)) folders.AddRange(libraryPath!.Split(':'));
            folders.AddRange(new[]
            {
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/lib64", "/usr/lib64", "/lib", "/usr/lib",
            });
            foreach (string folder in folders)
            {
                if (folder.Length == 0) continue;
                string candidate = Path.Combine(folder, "libstdc++.so.6");
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }
    }

    /// <summary>
    /// Reads and edits the GNU symbol-versioning tables of a 64-bit little-endian ELF file: the version
    /// needs (<c>.gnu.version_r</c>), the version definitions (<c>.gnu.version_d</c>) and which dynamic
    /// symbols are bound to a version (<c>.gnu.version</c> over <c>.dynsym</c>).
    /// </summary>
    internal static class ElfVersionNeeds
    {
        private const uint SectionVersionNeeds = 0x6ffffffe;   // SHT_GNU_verneed
        private const uint SectionVersionDefinitions = 0x6ffffffd; // SHT_GNU_verdef
        private const uint SectionVersionSymbols = 0x6fffffff; // SHT_GNU_versym
        private const uint SectionDynamicSymbols = 11;         // SHT_DYNSYM
        private const ushort WeakFlag = 0x2;                   // VER_FLG_WEAK

        /// <summary>One version a library needs from another (a <c>Elf64_Vernaux</c> entry).</summary>
        public sealed class Need
        {
            public Need(string file, string version, ushort flags, ushort index, int flagsOffset)
            {
                File = file;
                Version = version;
                Flags = flags;
                Index = index;
                FlagsOffset = flagsOffset;
            }

            /// <summary>The library it is needed from, e.g. libstdc++.so.6.</summary>
            public string File { get; }
            /// <summary>The version name, e.g. GLIBCXX_3.4.32.</summary>
            public string Version { get; }
            /// <summary>vna_flags.</summary>
            public ushort Flags { get; }
            /// <summary>vna_other: the index symbols use in <c>.gnu.version</c> to refer to this version.</summary>
            public ushort Index { get; }
            /// <summary>Byte offset of vna_flags in the file.</summary>
            public int FlagsOffset { get; }
            /// <summary>True when a missing version is tolerated at load time.</summary>
            public bool IsWeak => (Flags & WeakFlag) != 0;
        }

        /// <summary>Every version <paramref name="image"/> needs, in file order.</summary>
        /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file, or a table points outside it.</exception>
        public static List<Need> Read(byte[] image, string name)
        {
            var needs = new List<Need>();
            var elf = new Sections(image, name);
            foreach (var section in elf.OfType(SectionVersionNeeds))
            {
                var strings = elf.Linked(section);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    elf.Require(entry, 16, "a version-need entry");
                    ushort count = elf.U16(entry + 2);
                    string file = elf.String(strings, elf.U32(entry + 4));
                    long aux = entry + elf.U32(entry + 8);
                    for (int j = 0; j < count; j++)
                    {
                        elf.Require(aux, 16, "a version-need auxiliary entry");
                        needs.Add(new Need(file, elf.String(strings, elf.U32(aux + 8)), elf.U16(aux + 4), elf.U16(aux + 6), checked((int)(aux + 4))));
                        uint nextAux = elf.U32(aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = elf.U32(entry + 12);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return needs;
        }

        /// <summary>Every version name <paramref name="image"/> defines (what a libstdc++ offers).</summary>
        public static HashSet<string> Definitions(byte[] image, string name)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var elf = new Sections(image, name);
            foreach (var section in elf.OfType(SectionVersionDefinitions))
            {
                var strings = elf.Linked(section);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    elf.Require(entry, 20, "a version-definition entry");
                    ushort auxCount = elf.U16(entry + 6);
                    if (auxCount > 0)
                    {
                        long aux = entry + elf.U32(entry + 12);
                        elf.Require(aux, 8, "a version-definition auxiliary entry");
                        names.Add(elf.String(strings, elf.U32(aux)));
                    }
                    uint next = elf.U32(entry + 16);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return names;
        }

        /// <summary>The dynamic symbols whose version index (hidden bit cleared) is <paramref name="index"/>.</summary>
        public static List<string> SymbolsBoundTo(byte[] image, string name, ushort index)
        {
            var symbols = new List<string>();
            var elf = new Sections(image, name);
            Sections.Header? versions = null, dynamic = null;
            foreach (var s in elf.OfType(SectionVersionSymbols)) versions = s;
            foreach (var s in elf.OfType(SectionDynamicSymbols)) dynamic = s;
            if (versions is null || dynamic is null) return symbols;
            var strings = elf.Linked(dynamic);
            long count = dynamic.Size / 24;
            elf.Require(versions.Offset, count * 2, "the symbol version table");
            for (long i = 0; i < count; i++)
            {
                if ((elf.U16(versions.Offset + 2 * i) & 0x7fff) != index) continue;
                long symbol = dynamic.Offset + 24 * i;
                elf.Require(symbol, 24, "a dynamic symbol");
                symbols.Add(elf.String(strings, elf.U32(symbol)));
            }
            return symbols;
        }

        /// <summary>
        /// Sets the weak flag on every need of <paramref name="version"/>; returns false when there was
        /// nothing to change (already weak, or not needed). Nothing else in the image changes.
        /// </summary>
        public static bool MarkWeak(byte[] image, string version)
        {
            bool changed = false;
            foreach (var need in Read(image, "the library"))
            {
                if (need.Version != version || need.IsWeak) continue;
                ushort flags = (ushort)(need.Flags | WeakFlag);
                image[need.FlagsOffset] = (byte)flags;
                image[need.FlagsOffset + 1] = (byte)(flags >> 8);
                changed = true;
            }
            return changed;
        }

        /// <summary>The section headers of an ELF image and bounds-checked reads into it.</summary>
        private sealed class Sections
        {
            public sealed class Header
            {
                public uint Type;
                public long Offset;
                public long Size;
                public uint Link;
                public uint Info;
            }

            private readonly byte[] _image;
            private readonly string _name;
            private readonly List<Header> _headers = new List<Header>();

            public Sections(byte[] image, string name)
            {
                _image = image;
                _name = name;
                if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
                    throw new InvalidDataException($"{name} is not an ELF file (it does not start with 0x7F 'ELF').");
                if (image[4] != 2 || image[5] != 1)
                    throw new InvalidDataException($"{name} is not a 64-bit little-endian ELF file (class {image[4]}, data {image[5]}); only x86-64 and arm64 Linux libraries are patched.");
                long tableOffset = checked((long)U64(0x28));
                ushort entrySize = U16(0x3A), count = U16(0x3C);
                if (count > 0 && entrySize < 64)
                    throw new InvalidDataException($"{name} has section headers of {entrySize} bytes; a 64-bit ELF file's are 64.");
                Require(tableOffset, (long)entrySize * count, "the section header table");
                for (int i = 0; i < count; i++)
                {
                    long h = tableOffset + (long)i * entrySize;
                    _headers.Add(new Header
                    {
                        Type = U32(h + 4),
                        Offset = checked((long)U64(h + 0x18)),
                        Size = checked((long)U64(h + 0x20)),
                        Link = U32(h + 0x28),
                        Info = U32(h + 0x2C),
                    });
                }
            }

            public IEnumerable<Header> OfType(uint type)
            {
                foreach (var h in _headers)
                {
                    if (h.Type != type) continue;
                    Require(h.Offset, h.Size, "a section");
                    yield return h;
                }
            }

            public Header Linked(Header section)
            {
                if (section.Link >= _headers.Count)
                    throw new InvalidDataException($"{_name}: a section links to section {section.Link}, but there are only {_headers.Count}.");
                var linked = _headers[(int)section.Link];
                Require(linked.Offset, linked.Size, "a string table");
                return linked;
            }

            public string String(Header table, uint offset)
            {
                if (offset >= table.Size) throw new InvalidDataException($"{_name}: a name points past its string table.");
                long start = table.Offset + offset, end = start;
                long limit = table.Offset + table.Size;
                while (end < limit && _image[end] != 0) end++;
                if (end == limit) throw new InvalidDataException($"{_name}: a name in a string table is not terminated.");
                return Encoding.ASCII.GetString(_image, (int)start, (int)(end - start));
            }

            public void Require(long offset, long length, string what)
            {
                if (offset < 0 || length < 0 || offset > _image.Length || length > _image.Length - offset)
                    throw new InvalidDataException($"{_name} is truncated or malformed: {what} lies outside the file ({length} bytes at {offset}, file size {_image.Length}).");
            }

            public ushort U16(long at)
            {
                Require(at, 2, "a field");
                return (ushort)(_image[at] | _image[at + 1] << 8);
            }

            public uint U32(long at)
            {
                Require(at, 4, "a field");
                return (uint)(_image[at] | _image[at + 1] << 8 | _image[at + 2] << 16 | _image[at + 3] << 24);
            }

            private ulong U64(long at) => U32(at) | (ulong)U32(at + 4) << 32;
        }
    }

#if !COMPOSER_RUNTIME
    /// <summary>
    /// The MSBuild step: patches each existing file of <see cref="Libraries"/> (copies of
    /// libLibTorchSharp.so in an output or publish folder) when the host's libstdc++ needs it.
    /// </summary>
    public sealed class WeakenLibTorchSharpGlibcxxNeed : Microsoft.Build.Utilities.Task
    {
        /// <summary>The library copies to patch; missing files are skipped.</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        public override bool Execute()
        {
            string? host = LibTorchSharpPatch.FindHostLibstdcxx();
            foreach (var item in Libraries)
            {
                string path = item.GetMetadata("FullPath");
                if (!File.Exists(path)) continue;
                try
                {
                    var outcome = LibTorchSharpPatch.Apply(path, host);
                    if (outcome == PatchOutcome.Patched)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                            $"Composer: marked {LibTorchSharpPatch.Version} weak in {path} (this host's libstdc++ lacks it; Composer.Runtime's LibTorchSharpPatch.cs says why that is safe).");
                }
                catch (Exception e) when (e is InvalidDataException || e is IOException || e is UnauthorizedAccessException)
                {
                    Log.LogError($"Composer could not prepare {path} for this host's libstdc++: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
