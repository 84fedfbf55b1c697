using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Composer.Checkpoints;

/// <summary>
/// Decides where each tensor goes in a file about to be written and produces the bytes that precede
/// the buffer (8-byte length + JSON header). The layout is deterministic: tensors ordered by element
/// size, largest first (so every tensor starts aligned to its element size), then by the UTF-8 bytes of
/// their names; metadata keys in UTF-8 byte order; compact JSON padded with spaces to a multiple of 8
/// bytes, so the buffer starts 8-aligned. The same inputs always give byte-identical files.
/// </summary>
internal static class SafetensorsLayout
{
    /// <summary>A tensor to be written: name, element type and shape.</summary>
    internal readonly record struct Item(string Name, SafetensorsDType DType, long[] Shape);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Lays out <paramref name="items"/>; returns the resulting header and the bytes before the buffer.</summary>
    /// <exception cref="ArgumentException">A name is reserved, repeated or not encodable, or a shape is invalid.</exception>
    internal static (SafetensorsHeader Header, byte[] Preamble) Plan(IReadOnlyList<Item> items, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var keyed = new List<(Item Item, byte[] Utf8)>(items.Count);
        foreach (var item in items)
        {
            if (item.Name == "__metadata__")
                throw new ArgumentException("'__metadata__' is reserved by the safetensors format for the metadata map and cannot name a tensor");
            if (!names.Add(item.Name)) throw new ArgumentException($"two tensors are named '{item.Name}'");
            keyed.Add((item, Encode(item.Name, "tensor name")));
        }
        keyed.Sort((a, b) =>
        {
            int bySize = b.Item.DType.ElementSize().CompareTo(a.Item.DType.ElementSize());
            return bySize != 0 ? bySize : a.Utf8.AsSpan().SequenceCompareTo(b.Utf8);
        });

        var json = new StringBuilder(64 + 96 * keyed.Count);
        json.Append('{');
        var savedMetadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 })
        {
            json.Append("\"__metadata__\":{");
            var pairs = metadata.Select(p => (p.Key, p.Value, Utf8: Encode(p.Key, "metadata key"))).ToList();
            pairs.Sort((a, b) => a.Utf8.AsSpan().SequenceCompareTo(b.Utf8));
            for (int i = 0; i < pairs.Count; i++)
            {
                if (pairs[i].Value is null) throw new ArgumentException($"metadata key '{pairs[i].Key}' has a null value; safetensors metadata values are strings");
                Encode(pairs[i].Value, "metadata value");
                if (i > 0) json.Append(',');
                AppendString(json, pairs[i].Key);
                json.Append(':');
                AppendString(json, pairs[i].Value);
                savedMetadata.Add(pairs[i].Key, pairs[i].Value);
            }
            json.Append('}');
            if (keyed.Count > 0) json.Append(',');
        }

        var entries = new SafetensorsEntry[keyed.Count];
        long offset = 0;
        for (int i = 0; i < keyed.Count; i++)
        {
            var (name, dtype, shape) = keyed[i].Item;
            long bytes = ByteLength(name, dtype, shape);
            long end = checked(offset + bytes);
            entries[i] = new SafetensorsEntry(name, dtype, (long[])shape.Clone(), offset, end);
            if (i > 0) json.Append(',');
            AppendString(json, name);
            json.Append(":{\"dtype\":\"").Append(dtype.ToHeaderName()).Append("\",\"shape\":[");
            for (int d = 0; d < shape.Length; d++)
            {
                if (d > 0) json.Append(',');
                json.Append(shape[d].ToString(CultureInfo.InvariantCulture));
            }
            json.Append("],\"data_offsets\":[").Append(offset.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(end.ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset = end;
        }
        json.Append('}');

        int jsonLength = StrictUtf8.GetByteCount(json.ToString());
        int padded = (jsonLength + 7) / 8 * 8;
        if (padded > SafetensorsReader.MaxHeaderLength)
            throw new ArgumentException($"the header would be {padded} bytes, over the {SafetensorsReader.MaxHeaderLength:N0}-byte limit readers accept (too many tensors or too much metadata)");
        var preamble = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(preamble, (ulong)padded);
        StrictUtf8.GetBytes(json.ToString(), preamble.AsSpan(8));
        preamble.AsSpan(8 + jsonLength).Fill((byte)' ');

        var header = new SafetensorsHeader(entries, new ReadOnlyDictionary<string, string>(savedMetadata), padded);
        return (header, preamble);
    }

    /// <summary>Bytes a tensor of this shape needs, with every dimension checked.</summary>
    internal static long ByteLength(string name, SafetensorsDType dtype, ReadOnlySpan<long> shape)
    {
        long bytes = dtype.ElementSize();
        foreach (long size in shape)
        {
            if (size < 0) throw new ArgumentException($"tensor '{name}' has a negative size in shape [{string.Join(", ", shape.ToArray())}]");
            if (size != 0 && bytes > long.MaxValue / size)
                throw new ArgumentException($"tensor '{name}' with shape [{string.Join(", ", shape.ToArray())}] is too large: its size in bytes overflows 64 bits");
            bytes *= size;
        }
        return bytes;
    }

    private static byte[] Encode(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text, what);
        try
        {
            return StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"{what} '{text}' is not valid Unicode (it has an unpaired surrogate) and cannot be written as UTF-8");
        }
    }

    /// <summary>Appends a JSON string the way compact JSON writers do: escape quote, backslash and control characters, nothing else.</summary>
    private static void AppendString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default:
                    if (c < 0x20) json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else json.Append(c);
                    break;
            }
        }
        json.Append('"');
    }
}
