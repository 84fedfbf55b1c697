using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Composer.Tests.Loading;

/// <summary>
/// Builds small 64-bit little-endian ELF images with exactly the symbol-versioning tables the patch
/// reads: version needs (what a library asks of libstdc++), optionally version definitions (what a
/// libstdc++ offers), and dynamic symbols bound to version indices.
/// </summary>
internal sealed class CraftedElf
{
    private readonly List<(string Version, ushort Index)> _needs = [];
    private readonly List<string> _definitions = [];
    private readonly List<(string Name, ushort Version)> _symbols = [];

    /// <summary>Adds a need of <paramref name="version"/> from libstdc++.so.6 under version index <paramref name="index"/>.</summary>
    public CraftedElf Needs(string version, ushort index)
    {
        _needs.Add((version, index));
        return this;
    }

    /// <summary>Adds a version definition (as a libstdc++ has).</summary>
    public CraftedElf Defines(string version)
    {
        _definitions.Add(version);
        return this;
    }

    /// <summary>Adds a dynamic symbol bound to version index <paramref name="version"/>.</summary>
    public CraftedElf Symbol(string name, ushort version)
    {
        _symbols.Add((name, version));
        return this;
    }

    public byte[] Build()
    {
        var strings = new StringTable();
        var sections = new List<(string Name, uint Type, byte[] Data, uint Link, uint Info)>();

        uint file = strings.Add("libstdc++.so.6");
        var needs = new MemoryStream();
        if (_needs.Count > 0)
        {
            var w = new BinaryWriter(needs);
            w.Write((ushort)1); w.Write((ushort)_needs.Count); w.Write(file); w.Write(16u); w.Write(0u);
            for (int i = 0; i < _needs.Count; i++)
            {
                w.Write(0x0297f862u);                                    // vna_hash (not checked by the patch)
                w.Write((ushort)0);                                       // vna_flags
                w.Write(_needs[i].Index);                                 // vna_other
                w.Write(strings.Add(_needs[i].Version));                  // vna_name
                w.Write(i + 1 < _needs.Count ? 16u : 0u);                 // vna_next
            }
        }

        var definitions = new MemoryStream();
        if (_definitions.Count > 0)
        {
            var w = new BinaryWriter(definitions);
            for (int i = 0; i < _definitions.Count; i++)
            {
                w.Write((ushort)1); w.Write((ushort)0); w.Write((ushort)(i + 1)); w.Write((ushort)1);
                w.Write(0u); w.Write(20u); w.Write(i + 1 < _definitions.Count ? 28u : 0u);
                w.Write(strings.Add(_definitions[i])); w.Write(0u);
            }
        }

        var symbols = new MemoryStream();
        var versions = new MemoryStream();
        {
            var s = new BinaryWriter(symbols);
            var v = new BinaryWriter(versions);
            s.Write(new byte[24]);
            v.Write((ushort)0);
            foreach (var (name, version) in _symbols)
            {
                s.Write(strings.Add(name)); s.Write((byte)0x12); s.Write((byte)0); s.Write((ushort)0); s.Write(0UL); s.Write(0UL);
                v.Write(version);
            }
        }

        // Section 1 is the dynamic string table; the others link to it.
        sections.Add((".dynstr", 3, strings.Bytes(), 0, 0));
        if (_needs.Count > 0) sections.Add((".gnu.version_r", 0x6ffffffe, needs.ToArray(), 1, 1));
        if (_definitions.Count > 0) sections.Add((".gnu.version_d", 0x6ffffffd, definitions.ToArray(), 1, (uint)_definitions.Count));
        sections.Add((".dynsym", 11, symbols.ToArray(), 1, 1));
        sections.Add((".gnu.version", 0x6fffffff, versions.ToArray(), 0, 0));

        var names = new StringTable();
        var nameOffsets = new List<uint>();
        foreach (var section in sections) nameOffsets.Add(names.Add(section.Name));
        uint shstrtabName = names.Add(".shstrtab");
        byte[] shstrtab = names.Bytes();

        var image = new MemoryStream();
        var o = new BinaryWriter(image);
        o.Write(new byte[64]);
        var offsets = new List<long>();
        foreach (var section in sections)
        {
            offsets.Add(image.Position);
            o.Write(section.Data);
            while (image.Position % 8 != 0) o.Write((byte)0);
        }
        long shstrtabOffset = image.Position;
        o.Write(shstrtab);
        while (image.Position % 8 != 0) o.Write((byte)0);

        long headers = image.Position;
        o.Write(new byte[64]);                                            // section 0: null
        for (int i = 0; i < sections.Count; i++)
            WriteSection(o, nameOffsets[i], sections[i].Type, offsets[i], sections[i].Data.Length, sections[i].Link, sections[i].Info);
        WriteSection(o, shstrtabName, 3, shstrtabOffset, shstrtab.Length, 0, 0);

        byte[] bytes = image.ToArray();
        byte[] ident = [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0];
        ident.CopyTo(bytes, 0);
        BitConverter.GetBytes((ushort)3).CopyTo(bytes, 0x10);            // ET_DYN
        BitConverter.GetBytes((ushort)62).CopyTo(bytes, 0x12);           // EM_X86_64
        BitConverter.GetBytes(1u).CopyTo(bytes, 0x14);
        BitConverter.GetBytes((ulong)headers).CopyTo(bytes, 0x28);
        BitConverter.GetBytes((ushort)64).CopyTo(bytes, 0x34);
        BitConverter.GetBytes((ushort)64).CopyTo(bytes, 0x3A);
        BitConverter.GetBytes((ushort)(sections.Count + 2)).CopyTo(bytes, 0x3C);
        BitConverter.GetBytes((ushort)(sections.Count + 1)).CopyTo(bytes, 0x3E);
        return bytes;
    }

    private static void WriteSection(BinaryWriter o, uint name, uint type, long offset, long size, uint link, uint info)
    {
        o.Write(name); o.Write(type); o.Write(0UL); o.Write(0UL);
        o.Write((ulong)offset); o.Write((ulong)size); o.Write(link); o.Write(info); o.Write(8UL);
        o.Write(type == 11 ? 24UL : type == 0x6fffffff ? 2UL : 0UL);
    }

    private sealed class StringTable
    {
        private readonly MemoryStream _bytes = new();
        private readonly Dictionary<string, uint> _offsets = [];

        public StringTable() => _bytes.WriteByte(0);

        public uint Add(string text)
        {
            if (_offsets.TryGetValue(text, out uint existing)) return existing;
            uint offset = (uint)_bytes.Position;
            _bytes.Write(Encoding.ASCII.GetBytes(text));
            _bytes.WriteByte(0);
            _offsets[text] = offset;
            return offset;
        }

        public byte[] Bytes() => _bytes.ToArray();
    }
}
