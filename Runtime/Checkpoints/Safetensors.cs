using System;
using System.Collections.Generic;
using System.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Checkpoints;

/// <summary>
/// Saves and loads tensors as safetensors files, the format checkpoints use: safe to load (no code
/// runs), readable by Python tools (<c>safetensors.torch.load_file</c>, numpy).
/// </summary>
public static class Safetensors
{
    // File reads and writes go in pieces of at most this many bytes (spans are int-indexed).
    private const int Chunk = 1 << 30;

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device, any layout; stored as row-major CPU data) and
    /// optional <paramref name="metadata"/> to <paramref name="path"/>, atomically: the file is written
    /// under a temporary name in the same folder, flushed to disk, then renamed over the target, so a
    /// crash never leaves a partial file behind. The layout is deterministic (see <see cref="SafetensorsWriter"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A name is reserved (<c>__metadata__</c>) or not valid Unicode, or a tensor is null.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        RequireLittleEndian();
        var items = new List<SafetensorsLayout.Item>(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            if (tensor is null) throw new ArgumentException($"tensor '{name}' is null", nameof(tensors));
            items.Add(new SafetensorsLayout.Item(name, tensor.dtype.ToSafetensors(), tensor.shape));
        }
        var (header, preamble) = SafetensorsLayout.Plan(items, metadata);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(preamble);
            foreach (var entry in header.Entries) WriteData(stream, tensors[entry.Name], entry.ByteLength);
        });
    }

    /// <summary>
    /// Opens a safetensors file and validates its header (see <see cref="SafetensorsReader"/>); tensors
    /// are read on demand with <see cref="SafetensorsFile.Get"/>. Dispose the result to close the file.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file.</exception>
    public static SafetensorsFile Load(string path)
    {
        RequireLittleEndian();
        return SafetensorsFile.Open(path);
    }

    private static void WriteData(FileStream stream, Tensor tensor, long byteLength)
    {
        if (byteLength == 0) return;
        // The temporaries (a CPU, contiguous copy when the tensor is not one already) die right here.
        using var scope = NewDisposeScope();
        using var flat = tensor.detach().cpu().contiguous().reshape(-1);
        foreach (var piece in Pieces(flat, byteLength)) stream.Write(piece.bytes);
    }

    /// <summary>Fills a new, contiguous CPU tensor with <paramref name="byteLength"/> bytes read from the file at <paramref name="offset"/>.</summary>
    internal static void ReadData(Microsoft.Win32.SafeHandles.SafeFileHandle file, string path, string name, Tensor tensor, long offset, long byteLength)
    {
        if (byteLength == 0) return;
        using var scope = NewDisposeScope();
        long done = 0;
        foreach (var piece in Pieces(tensor.reshape(-1), byteLength))
        {
            ReadExactly(file, path, name, piece.bytes, offset + done);
            done += piece.bytes.Length;
        }
    }

    /// <summary>
    /// <paramref name="flat"/> (1-D, contiguous, CPU) as consecutive pieces of at most <see cref="Chunk"/>
    /// bytes: a tensor's byte span is int-indexed, and a checkpoint can hold a larger tensor.
    /// </summary>
    private static IEnumerable<Tensor> Pieces(Tensor flat, long byteLength)
    {
        long elementSize = byteLength / flat.shape[0];
        long perPiece = Chunk / elementSize;
        for (long start = 0; start < flat.shape[0]; start += perPiece)
            yield return flat.narrow(0, start, Math.Min(perPiece, flat.shape[0] - start));
    }

    internal static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle file, string path, string name, Span<byte> destination, long offset)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int read = RandomAccess.Read(file, destination[done..], offset + done);
            if (read == 0)
                throw new SafetensorsFormatException($"the file ended at byte {offset + done} while reading tensor '{name}' (was it truncated after it was opened?)", path);
            done += read;
        }
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors stores little-endian data; this machine is big-endian");
    }
}
