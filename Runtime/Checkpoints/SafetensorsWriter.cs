using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Composer.Checkpoints;

/// <summary>
/// Builds a safetensors file from raw little-endian bytes, independent of libtorch. The output is
/// deterministic: tensors ordered by element size, largest first (each starts aligned to its element
/// size), then by the UTF-8 bytes of their names; compact JSON header padded with spaces to a multiple
/// of 8 bytes; metadata keys sorted. Added byte buffers are referenced, not copied: keep them
/// unchanged until the file is written.
/// </summary>
public sealed class SafetensorsWriter
{
    private readonly List<SafetensorsLayout.Item> _items = new();
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);

    /// <summary>Adds a tensor: its name, element type, shape and row-major little-endian bytes.</summary>
    /// <exception cref="ArgumentException">The name is taken or reserved, or the byte count does not match shape × element size.</exception>
    public SafetensorsWriter Add(string name, SafetensorsDType dtype, ReadOnlySpan<long> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "__metadata__")
            throw new ArgumentException("'__metadata__' is reserved by the safetensors format for the metadata map and cannot name a tensor", nameof(name));
        if (_data.ContainsKey(name)) throw new ArgumentException($"a tensor named '{name}' was already added", nameof(name));
        long bytes = SafetensorsLayout.ByteLength(name, dtype, shape);
        if (data.Length != bytes)
            throw new ArgumentException($"tensor '{name}' has {data.Length} bytes of data but shape [{string.Join(", ", shape.ToArray())}] of {dtype.ToHeaderName()} needs {bytes}", nameof(data));
        _items.Add(new SafetensorsLayout.Item(name, dtype, shape.ToArray()));
        _data.Add(name, data);
        return this;
    }

    /// <summary>Sets one entry of the <c>__metadata__</c> map (replacing an earlier value for the same key).</summary>
    public SafetensorsWriter SetMetadata(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata[key] = value;
        return this;
    }

    /// <summary>The header the file will have: every tensor's offsets and the metadata.</summary>
    public SafetensorsHeader Header => SafetensorsLayout.Plan(_items, _metadata).Header;

    /// <summary>Writes the file to <paramref name="stream"/> at its current position.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (header, preamble) = SafetensorsLayout.Plan(_items, _metadata);
        stream.Write(preamble);
        foreach (var entry in header.Entries) stream.Write(_data[entry.Name].Span);
    }

    /// <summary>The whole file as one array.</summary>
    public byte[] ToArray()
    {
        var (header, preamble) = SafetensorsLayout.Plan(_items, _metadata);
        var file = new byte[checked((int)header.FileLength)];
        preamble.CopyTo(file, 0);
        foreach (var entry in header.Entries) _data[entry.Name].Span.CopyTo(file.AsSpan(checked((int)(header.DataStart + entry.Begin))));
        return file;
    }

    /// <summary>Writes the file to <paramref name="path"/> atomically: a temporary file in the same folder, flushed to disk, then renamed over the target.</summary>
    public void Save(string path) => AtomicFile.Write(path, WriteTo);
}
