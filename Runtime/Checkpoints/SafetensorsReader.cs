using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Composer.Checkpoints;

/// <summary>
/// Reads and validates safetensors headers from a file, a stream or a buffer. Everything the format
/// promises is checked before anything is trusted: the header length (at most
/// <see cref="MaxHeaderLength"/>, inside the file), UTF-8, a single JSON object without duplicate keys,
/// well-formed entries (known dtype, non-negative integer shape, two ordered offsets), byte lengths
/// that match shape × dtype without overflow, tensors contiguous from offset 0 with no gap or overlap,
/// the buffer ending exactly at the end of the file, and string-only <c>__metadata__</c>. Malformed
/// content always ends in a <see cref="SafetensorsFormatException"/>; no allocation is sized by a
/// length before it has been checked against the real size of the input.
/// </summary>
public static class SafetensorsReader
{
    /// <summary>The largest header accepted, in bytes (the limit of the reference implementation).</summary>
    public const int MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";
    private static readonly IReadOnlyDictionary<string, string> NoMetadata =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    /// <summary>Reads the header of the file at <paramref name="path"/> and checks it against the file's length.</summary>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file.</exception>
    public static SafetensorsHeader ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadHeader(handle, path);
    }

    internal static SafetensorsHeader ReadHeader(SafeFileHandle handle, string path)
    {
        try
        {
            long fileLength = RandomAccess.GetLength(handle);
            Span<byte> prefix = stackalloc byte[8];
            if (fileLength < 8) throw TooShort(fileLength);
            ReadExactly(handle, prefix, 0);
            int n = CheckHeaderLength(prefix, fileLength);
            var json = new byte[n];
            ReadExactly(handle, json, 8);
            return Parse(json, fileLength);
        }
        catch (SafetensorsFormatException e) when (e.FilePath is null)
        {
            throw new SafetensorsFormatException(e.Problem, path);
        }
    }

    /// <summary>
    /// Reads the header of a safetensors file that starts at the stream's current position and runs to
    /// the stream's end. The stream is left positioned at the start of the byte buffer.
    /// </summary>
    /// <exception cref="ArgumentException">The stream cannot seek or read (its length is needed to check the file).</exception>
    /// <exception cref="SafetensorsFormatException">The content is not a valid safetensors file.</exception>
    public static SafetensorsHeader ReadHeader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
            throw new ArgumentException("the stream must be readable and seekable, so that the file length can be checked; copy it into a MemoryStream first", nameof(stream));
        long fileLength = stream.Length - stream.Position;
        Span<byte> prefix = stackalloc byte[8];
        if (fileLength < 8) throw TooShort(fileLength);
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8) throw TooShort(fileLength);
        int n = CheckHeaderLength(prefix, fileLength);
        var json = new byte[n];
        if (stream.ReadAtLeast(json, n, throwOnEndOfStream: false) < n)
            throw new SafetensorsFormatException("the stream ended inside the header");
        return Parse(json, fileLength);
    }

    /// <summary>Reads the header of a safetensors file held entirely in <paramref name="file"/>.</summary>
    /// <exception cref="SafetensorsFormatException">The content is not a valid safetensors file.</exception>
    public static SafetensorsHeader ReadHeader(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8) throw TooShort(file.Length);
        int n = CheckHeaderLength(file[..8], file.Length);
        return Parse(file.Slice(8, n), file.Length);
    }

    private static SafetensorsFormatException TooShort(long length) =>
        new($"the content is {length} bytes long, too short for the 8-byte header length that starts every safetensors file");

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0) throw new SafetensorsFormatException($"the file ended at byte {offset} while reading the header (was it truncated while being read?)");
            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>Decodes the little-endian header length and checks it against the cap and the input's length.</summary>
    private static int CheckHeaderLength(ReadOnlySpan<byte> prefix, long fileLength)
    {
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > MaxHeaderLength)
            throw new SafetensorsFormatException($"the header length is {n} bytes, over the {MaxHeaderLength:N0}-byte limit (is this a safetensors file?)");
        if (n > (ulong)(fileLength - 8))
            throw new SafetensorsFormatException($"the header length is {n} bytes but only {fileLength - 8} bytes follow the 8-byte length");
        return (int)n;
    }

    /// <summary>Parses and validates a header; <paramref name="fileLength"/> is the length of the whole file.</summary>
    internal static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long fileLength)
    {
        CheckUtf8(json);
        if (json.IsEmpty) throw new SafetensorsFormatException("the header is empty; it must be a JSON object");
        if (json[0] != (byte)'{')
            throw new SafetensorsFormatException($"the header must start with '{{' but starts with byte 0x{json[0]:X2}");

        var entries = new List<SafetensorsEntry>();
        IReadOnlyDictionary<string, string> metadata = NoMetadata;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var r = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            Next(ref r);
            while (true)
            {
                Next(ref r);
                if (r.TokenType == JsonTokenType.EndObject) break;
                string key = r.GetString()!;
                if (!keys.Add(key)) throw new SafetensorsFormatException($"the header has the key {Quote(key)} more than once");
                Next(ref r);
                if (key == MetadataKey) metadata = ParseMetadata(ref r);
                else entries.Add(ParseEntry(ref r, key));
            }
            // Only whitespace (the padding) may follow; anything else makes the reader throw.
            if (r.Read()) throw new SafetensorsFormatException("the header has content after its closing '}'");
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException($"the header is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // Raised by GetString for escapes that do not form valid UTF-16 (a lone \ud800, say).
            throw new SafetensorsFormatException($"the header is not valid JSON: {e.Message}");
        }

        var ordered = CheckContiguous(entries);
        long available = fileLength - 8 - json.Length;
        long end = ordered.Length == 0 ? 0 : ordered[^1].End;
        if (end > available)
            throw new SafetensorsFormatException($"the file is truncated: its tensors need {end} bytes after the header but only {available} follow it");
        if (end < available)
            throw new SafetensorsFormatException($"the file has {available - end} bytes after the end of its last tensor (byte buffer length {end}); trailing bytes are not allowed");
        return new SafetensorsHeader(ordered, metadata, json.Length);
    }

    private static void CheckUtf8(ReadOnlySpan<byte> json)
    {
        int i = 0;
        while (i < json.Length)
        {
            if (json[i] < 0x80) { i++; continue; }
            if (System.Text.Rune.DecodeFromUtf8(json[i..], out _, out int consumed) != System.Buffers.OperationStatus.Done)
                throw new SafetensorsFormatException($"the header is not valid UTF-8 (invalid byte 0x{json[i]:X2} at header offset {i})");
            i += consumed;
        }
    }

    private static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read()) throw new SafetensorsFormatException("the header ends before its JSON object is closed");
    }

    private static IReadOnlyDictionary<string, string> ParseMetadata(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null) return NoMetadata;
        if (r.TokenType != JsonTokenType.StartObject)
            throw new SafetensorsFormatException($"__metadata__ must be an object mapping strings to strings, not {Describe(r.TokenType)}");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject) break;
            string key = r.GetString()!;
            Next(ref r);
            if (r.TokenType != JsonTokenType.String)
                throw new SafetensorsFormatException($"__metadata__ value for key {Quote(key)} must be a string, not {Describe(r.TokenType)}");
            if (!map.TryAdd(key, r.GetString()!))
                throw new SafetensorsFormatException($"__metadata__ has the key {Quote(key)} more than once");
        }
        return new ReadOnlyDictionary<string, string>(map);
    }

    private static SafetensorsEntry ParseEntry(ref Utf8JsonReader r, string name)
    {
        if (r.TokenType != JsonTokenType.StartObject)
            throw new SafetensorsFormatException($"tensor {Quote(name)} must be an object with dtype, shape and data_offsets, not {Describe(r.TokenType)}");
        SafetensorsDType? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject) break;
            string field = r.GetString()!;
            Next(ref r);
            switch (field)
            {
                case "dtype":
                    if (dtype is not null) throw Duplicate(name, field);
                    if (r.TokenType != JsonTokenType.String)
                        throw new SafetensorsFormatException($"tensor {Quote(name)} has a dtype that is {Describe(r.TokenType)}, not a string");
                    string text = r.GetString()!;
                    if (!SafetensorsDTypeExtensions.TryParse(text, out var parsed))
                        throw new SafetensorsFormatException($"tensor {Quote(name)} has dtype {Quote(text)}, which is not one of {SafetensorsDTypeExtensions.SupportedNames}");
                    dtype = parsed;
                    break;
                case "shape":
                    if (shape is not null) throw Duplicate(name, field);
                    shape = ReadIntegers(ref r, name, field);
                    break;
                case "data_offsets":
                    if (offsets is not null) throw Duplicate(name, field);
                    offsets = ReadIntegers(ref r, name, field);
                    if (offsets.Length != 2)
                        throw new SafetensorsFormatException($"tensor {Quote(name)} has {offsets.Length} data_offsets; it needs exactly two, [begin, end]");
                    break;
                default:
                    // Unknown fields are ignored, as the reference reader does; their JSON is still checked.
                    r.Skip();
                    break;
            }
        }
        if (dtype is null) throw Missing(name, "dtype");
        if (shape is null) throw Missing(name, "shape");
        if (offsets is null) throw Missing(name, "data_offsets");

        long begin = offsets[0], end = offsets[1];
        if (end < begin)
            throw new SafetensorsFormatException($"tensor {Quote(name)} has data_offsets [{begin}, {end}]: the end comes before the beginning");
        var type = dtype.Value;
        long bytes = type.ElementSize();
        foreach (long size in shape)
        {
            // Overflow-checked product: element count × element size must fit in 64 bits.
            if (size != 0 && bytes > long.MaxValue / size)
                throw new SafetensorsFormatException($"tensor {Quote(name)} has shape [{string.Join(", ", shape)}] of {type.ToHeaderName()}, whose size in bytes overflows 64 bits");
            bytes *= size;
        }
        if (end - begin != bytes)
            throw new SafetensorsFormatException(
                $"tensor {Quote(name)} has data_offsets [{begin}, {end}] ({end - begin} bytes) but shape [{string.Join(", ", shape)}] of {type.ToHeaderName()} needs {bytes} bytes");
        return new SafetensorsEntry(name, type, shape, begin, end);
    }

    private static long[] ReadIntegers(ref Utf8JsonReader r, string name, string field)
    {
        if (r.TokenType != JsonTokenType.StartArray)
            throw new SafetensorsFormatException($"tensor {Quote(name)} has a {field} that is {Describe(r.TokenType)}, not an array of integers");
        var values = new List<long>();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray) break;
            if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out long v) || v < 0)
                throw new SafetensorsFormatException($"tensor {Quote(name)} has {field} entry {Token(ref r)}, which is not a non-negative 64-bit integer");
            values.Add(v);
        }
        return values.ToArray();
    }

    /// <summary>Orders entries by offset and checks they tile the buffer from 0 without gaps or overlaps.</summary>
    private static SafetensorsEntry[] CheckContiguous(List<SafetensorsEntry> entries)
    {
        var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToArray();
        long expected = 0;
        string? previous = null;
        foreach (var e in ordered)
        {
            if (e.Begin != expected)
            {
                string after = previous is null ? "the buffer starts at offset 0" : $"the previous tensor {Quote(previous)} ends at {expected}";
                throw new SafetensorsFormatException(e.Begin > expected
                    ? $"tensor {Quote(e.Name)} starts at offset {e.Begin} but {after}: tensors must follow each other with no gap"
                    : $"tensor {Quote(e.Name)} starts at offset {e.Begin} but {after}: tensors must not overlap");
            }
            expected = e.End;
            previous = e.Name;
        }
        return ordered;
    }

    private static SafetensorsFormatException Duplicate(string name, string field) =>
        new($"tensor {Quote(name)} has the field \"{field}\" more than once");

    private static SafetensorsFormatException Missing(string name, string field) =>
        new($"tensor {Quote(name)} has no \"{field}\" field");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string Token(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.Number) return Describe(r.TokenType);
        var raw = r.HasValueSequence ? r.ValueSequence.ToArray() : r.ValueSpan.ToArray();
        return Quote(Encoding.UTF8.GetString(raw));
    }

    /// <summary>A name for an error message, cut short so a corrupt header cannot flood the message.</summary>
    internal static string Quote(string text) => text.Length <= 80 ? $"'{text}'" : $"'{text[..80]}…'";
}
