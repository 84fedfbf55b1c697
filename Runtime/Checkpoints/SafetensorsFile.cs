using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.Win32.SafeHandles;

namespace Composer.Checkpoints;

/// <summary>
/// An open safetensors file whose header has been validated. Tensors are read on demand, each straight
/// from the file into a new CPU tensor (one copy), owned by the current dispose scope like any other
/// new tensor. Dispose to close the file; tensors already read stay valid.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly string[] _names;

    private SafetensorsFile(SafeFileHandle file, string path, SafetensorsHeader header)
    {
        _file = file;
        Path = path;
        Header = header;
        _names = header.Names.ToArray();
    }

    internal static SafetensorsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return new SafetensorsFile(file, path, SafetensorsReader.ReadHeader(file, path));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The path the file was opened from.</summary>
    public string Path { get; }

    /// <summary>The validated header: every tensor's dtype, shape and offsets.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>The <c>__metadata__</c> map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    /// <summary>The tensor names, in the order their data lies in the file.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Whether the file holds a tensor of this name.</summary>
    public bool Contains(string name) => Header.Contains(name);

    /// <summary>Reads one tensor into a new CPU tensor (created in the current dispose scope).</summary>
    /// <exception cref="KeyNotFoundException">No tensor has this name; the message lists those there are.</exception>
    public Tensor Get(string name)
    {
        var entry = Find(name);
        var tensor = empty(entry.ShapeArray, entry.DType.ToScalarType());
        try
        {
            Safetensors.ReadData(_file, Path, name, tensor, Header.DataStart + entry.Begin, entry.ByteLength);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
        return tensor;
    }

    /// <summary>Reads every tensor (see <see cref="Get"/>), keyed by name.</summary>
    public Dictionary<string, Tensor> GetAll()
    {
        var result = new Dictionary<string, Tensor>(_names.Length, StringComparer.Ordinal);
        try
        {
            foreach (var name in _names) result.Add(name, Get(name));
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>The raw little-endian bytes of one tensor.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    public byte[] GetBytes(string name)
    {
        var entry = Find(name);
        if (entry.ByteLength > Array.MaxLength)
            throw new NotSupportedException($"tensor '{name}' is {entry.ByteLength} bytes, more than one managed array holds; read it with Get(\"{name}\")");
        var bytes = new byte[entry.ByteLength];
        Safetensors.ReadExactly(_file, Path, name, bytes, Header.DataStart + entry.Begin);
        return bytes;
    }

    private SafetensorsEntry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_file.IsClosed, this);
        return Header.TryGetEntry(name, out var entry) ? entry : throw new KeyNotFoundException($"'{Path}': {Header.MissingMessage(name)}");
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();
}
