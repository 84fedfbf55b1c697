using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Composer.Data;

/// <summary>Opens data files, turning every way of failing into a one-line <see cref="DataException"/>.</summary>
internal static class DataFile
{
    /// <summary>A read handle on <paramref name="path"/>, which must exist and be a non-empty file.</summary>
    /// <exception cref="DataException">Missing, a directory, unreadable or empty.</exception>
    public static SafeFileHandle Open(string path, bool randomAccess)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw DataException.At(path, null, "is a directory, not a data file");
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read,
                randomAccess ? FileOptions.RandomAccess : FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw DataException.At(path, null, "file not found");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataException($"{path}: cannot read the file (permission denied)", e);
        }
        catch (IOException e)
        {
            throw new DataException($"{path}: cannot read the file ({e.Message})", e);
        }
        if (RandomAccess.GetLength(handle) == 0)
        {
            handle.Dispose();
            throw DataException.At(path, null, "file is empty");
        }
        return handle;
    }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; fewer bytes than asked means the file changed under us.</summary>
    public static void ReadExactly(SafeFileHandle handle, string path, long offset, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int n;
            try { n = RandomAccess.Read(handle, destination[done..], offset + done); }
            catch (IOException e) { throw new DataException($"{path}: read failed at byte offset {offset + done} ({e.Message})", e); }
            if (n == 0) throw new DataException($"{path}: the file ended at byte offset {offset + done}, earlier than when it was opened; was it changed while training?");
            done += n;
        }
    }
}
