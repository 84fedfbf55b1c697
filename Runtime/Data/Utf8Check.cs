using System;
using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Composer.Data;

/// <summary>Finds the first byte that is not valid UTF-8, so errors can name its offset.</summary>
internal static class Utf8Check
{
    /// <summary>The index of the first invalid (or truncated) sequence in <paramref name="data"/>, or -1 when it is valid.</summary>
    public static int FindInvalid(ReadOnlySpan<byte> data)
    {
        // The vectorised check decides the common case; only bad data pays for the walk.
        if (Utf8.IsValid(data)) return -1;
        int i = 0;
        while (i < data.Length)
        {
            if (Rune.DecodeFromUtf8(data[i..], out _, out int consumed) != OperationStatus.Done) return i;
            i += consumed;
        }
        return -1;
    }

    /// <summary>
    /// Where a chunk of a longer stream may be cut so that no character is split: the start of a
    /// trailing sequence that is still missing continuation bytes, otherwise the chunk's length.
    /// Whatever lies after the cut is carried into the next chunk.
    /// </summary>
    public static int SafeCut(ReadOnlySpan<byte> chunk)
    {
        int start = Math.Max(0, chunk.Length - 3);
        for (int i = chunk.Length - 1; i >= start; i--)
        {
            byte b = chunk[i];
            if ((b & 0xC0) == 0x80) continue; // continuation byte: keep looking for its lead
            int needed = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return chunk.Length - i < needed ? i : chunk.Length;
        }
        return chunk.Length;
    }

    /// <summary>"invalid UTF-8 at byte offset N (byte 0xXX)" for the byte at <paramref name="offset"/>.</summary>
    public static string Describe(long offset, byte value) => $"invalid UTF-8 at byte offset {offset} (byte 0x{value:X2})";
}
