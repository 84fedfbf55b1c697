using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;

namespace Composer.Data;

/// <summary>One non-empty line of a TSV file: its 1-based number and its fields as UTF-8 bytes.</summary>
internal sealed record TsvLine(long Number, byte[][] Fields);

/// <summary>
/// Reads a tab-separated file line by line, checking as it goes: UTF-8 (the error gives the line and
/// the byte offset in the file), and exactly the expected number of fields per line. Tolerates what
/// editors produce: CRLF line ends, a UTF-8 byte-order mark, empty lines.
/// </summary>
internal static class TsvReader
{
    /// <summary>Every non-empty line of <paramref name="path"/>, each with <paramref name="layout"/>'s field count.</summary>
    /// <param name="path">The file.</param>
    /// <param name="layout">The field names, e.g. ["source", "target"], for messages and the field count.</param>
    /// <exception cref="DataException">Missing, empty, invalid UTF-8, a line with another field count, or no line at all.</exception>
    public static List<TsvLine> Read(string path, IReadOnlyList<string> layout)
    {
        var lines = new List<TsvLine>();
        using var handle = DataFile.Open(path, randomAccess: false);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var chunk = new byte[1 << 16];
        var line = new ArrayBufferWriter<byte>();
        long offset = 0, lineStart = 0, number = 0;
        int n;
        while ((n = Fill(stream, chunk, path)) > 0)
        {
            var rest = chunk.AsSpan(0, n);
            int newline;
            while ((newline = rest.IndexOf((byte)'\n')) >= 0)
            {
                line.Write(rest[..newline]);
                Take(path, layout, ++number, lineStart, line.WrittenSpan, lines);
                line.ResetWrittenCount();
                rest = rest[(newline + 1)..];
                lineStart = offset + (n - rest.Length);
            }
            line.Write(rest);
            offset += n;
        }
        if (line.WrittenCount > 0) Take(path, layout, ++number, lineStart, line.WrittenSpan, lines);
        if (lines.Count == 0) throw DataException.At(path, null, "holds no examples (every line is empty)");
        return lines;
    }

    private static int Fill(FileStream stream, byte[] chunk, string path)
    {
        try { return stream.Read(chunk); }
        catch (IOException e) { throw new DataException($"{path}: read failed ({e.Message})", e); }
    }

    private static void Take(string path, IReadOnlyList<string> layout, long number, long start, ReadOnlySpan<byte> bytes, List<TsvLine> into)
    {
        if (number == 1 && bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
            start += 3;
        }
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r') bytes = bytes[..^1];
        int bad = Utf8Check.FindInvalid(bytes);
        if (bad >= 0) throw DataException.At(path, number, Utf8Check.Describe(start + bad, bytes[bad]));
        if (bytes.Length == 0) return;

        int fields = bytes.Count((byte)'\t') + 1;
        if (fields != layout.Count)
            throw DataException.At(path, number,
                $"malformed TSV line: expected {layout.Count} tab-separated fields ({string.Join("<TAB>", layout)}), found {fields}");
        var result = new byte[fields][];
        for (int f = 0; f < fields; f++)
        {
            int tab = bytes.IndexOf((byte)'\t');
            var field = tab < 0 ? bytes : bytes[..tab];
            if (field.Length == 0) throw DataException.At(path, number, $"malformed TSV line: the {layout[f]} field is empty");
            result[f] = field.ToArray();
            bytes = tab < 0 ? default : bytes[(tab + 1)..];
        }
        into.Add(new TsvLine(number, result));
    }
}
