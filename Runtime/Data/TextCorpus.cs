using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Composer.Data;

/// <summary>
/// A UTF-8 text file used as a byte stream for language models. It is never loaded whole: opening
/// it checks the UTF-8 in chunks of <see cref="ReadBufferBytes"/>, and windows are then read on
/// demand at their offsets, so a corpus larger than memory works (the OS page cache does the rest).
/// </summary>
public sealed class TextCorpus : IDisposable
{
    /// <summary>The chunk size used to check a corpus when it is opened (1 MiB).</summary>
    public const int DefaultReadBufferBytes = 1 << 20;

    private readonly SafeFileHandle _handle;

    private TextCorpus(string path, SafeFileHandle handle, int readBufferBytes)
    {
        Path = path;
        _handle = handle;
        Length = RandomAccess.GetLength(handle);
        ReadBufferBytes = readBufferBytes;
    }

    /// <summary>
    /// Opens <paramref name="path"/> and checks that it is valid UTF-8, reading at most
    /// <paramref name="readBufferBytes"/> bytes at a time.
    /// </summary>
    /// <exception cref="DataException">Missing, empty, unreadable, or invalid UTF-8 (with the byte offset).</exception>
    public static TextCorpus Open(string path, int readBufferBytes = DefaultReadBufferBytes)
    {
        if (readBufferBytes < 64) throw new ArgumentOutOfRangeException(nameof(readBufferBytes), $"the read buffer must hold at least 64 bytes, not {readBufferBytes}");
        var corpus = new TextCorpus(path, DataFile.Open(path, randomAccess: true), readBufferBytes);
        try
        {
            corpus.CheckUtf8();
            return corpus;
        }
        catch
        {
            corpus.Dispose();
            throw;
        }
    }

    /// <summary>The file's path as given.</summary>
    public string Path { get; }

    /// <summary>Size in bytes (= tokens, with the byte tokenizer).</summary>
    public long Length { get; }

    /// <summary>The most bytes read at once while checking the file.</summary>
    public int ReadBufferBytes { get; }

    /// <summary>The largest single read so far, in bytes (shows that nothing reads the whole file).</summary>
    public long LargestRead { get; private set; }

    /// <summary>Copies the bytes at <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the file.</exception>
    public void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"bytes {offset}–{offset + destination.Length} are not inside {Path} ({Length} bytes)");
        LargestRead = Math.Max(LargestRead, destination.Length);
        DataFile.ReadExactly(_handle, Path, offset, destination);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _handle.Dispose();

    private void CheckUtf8()
    {
        // A character may straddle two chunks: the bytes after the last safe cut are carried over.
        var buffer = new byte[ReadBufferBytes];
        long offset = 0;   // file offset of buffer[0]
        int carried = 0;
        while (offset + carried < Length)
        {
            int take = (int)Math.Min(buffer.Length - carried, Length - offset - carried);
            Read(offset + carried, buffer.AsSpan(carried, take));
            int filled = carried + take;
            bool last = offset + filled == Length;
            var chunk = buffer.AsSpan(0, filled);
            int cut = last ? filled : Utf8Check.SafeCut(chunk);
            int bad = Utf8Check.FindInvalid(chunk[..cut]);
            if (bad >= 0) throw DataException.At(Path, null, Utf8Check.Describe(offset + bad, chunk[bad]));
            carried = filled - cut;
            chunk[cut..].CopyTo(buffer);
            offset += cut;
        }
    }
}
