using System;
using System.Collections.Generic;
using System.Linq;

namespace Composer.Checkpoints;

/// <summary>
/// The parsed, validated header of a safetensors file: the tensors in the order their bytes appear,
/// the optional string-to-string metadata, and where the byte buffer starts. A header obtained from
/// <see cref="SafetensorsReader"/> has already been checked against the length of its file.
/// </summary>
public sealed class SafetensorsHeader
{
    private readonly SafetensorsEntry[] _entries;
    private readonly Dictionary<string, SafetensorsEntry> _byName;

    internal SafetensorsHeader(SafetensorsEntry[] entriesInOffsetOrder, IReadOnlyDictionary<string, string> metadata, long headerLength)
    {
        _entries = entriesInOffsetOrder;
        _byName = new Dictionary<string, SafetensorsEntry>(entriesInOffsetOrder.Length, StringComparer.Ordinal);
        foreach (var e in entriesInOffsetOrder) _byName.Add(e.Name, e);
        Metadata = metadata;
        HeaderLength = headerLength;
        DataLength = entriesInOffsetOrder.Length == 0 ? 0 : entriesInOffsetOrder[^1].End;
    }

    /// <summary>The tensors, ordered by where their bytes start.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries => _entries;

    /// <summary>The tensor names, in the order of <see cref="Entries"/>.</summary>
    public IEnumerable<string> Names => _entries.Select(e => e.Name);

    /// <summary>The <c>__metadata__</c> map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Length in bytes of the JSON header, padding included (the value of the first 8 bytes).</summary>
    public long HeaderLength { get; }

    /// <summary>Offset of the byte buffer from the start of the file (8 + <see cref="HeaderLength"/>).</summary>
    public long DataStart => 8 + HeaderLength;

    /// <summary>Length of the byte buffer (the end offset of the last tensor).</summary>
    public long DataLength { get; }

    /// <summary>Length of the whole file: <see cref="DataStart"/> + <see cref="DataLength"/>.</summary>
    public long FileLength => DataStart + DataLength;

    /// <summary>Whether a tensor of this name is in the file.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Looks up a tensor by name.</summary>
    public bool TryGetEntry(string name, out SafetensorsEntry entry) => _byName.TryGetValue(name, out entry!);

    /// <summary>The tensor of this name.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has this name; the message lists the names there are.</exception>
    public SafetensorsEntry this[string name] =>
        _byName.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException(MissingMessage(name));

    /// <summary>The bytes of one tensor, sliced out of the whole file's content.</summary>
    /// <param name="file">The complete file this header was read from.</param>
    /// <param name="name">The tensor's name.</param>
    public ReadOnlySpan<byte> GetData(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length != FileLength)
            throw new ArgumentException($"the buffer holds {file.Length} bytes but this header describes a file of {FileLength}", nameof(file));
        var e = this[name];
        return file.Slice((int)(DataStart + e.Begin), (int)e.ByteLength);
    }

    internal string MissingMessage(string name)
    {
        const int shown = 20;
        var names = string.Join(", ", _entries.Take(shown).Select(e => $"'{e.Name}'"));
        if (_entries.Length > shown) names += $", … ({_entries.Length - shown} more)";
        return _entries.Length == 0
            ? $"no tensor named '{name}': the file holds no tensors"
            : $"no tensor named '{name}'; the file holds {names}";
    }
}
