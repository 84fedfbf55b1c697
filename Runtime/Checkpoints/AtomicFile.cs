using System;
using System.IO;

namespace Composer.Checkpoints;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a
/// partial one: the data goes to a temporary file in the same folder (same file system, so the rename
/// is atomic), is flushed to disk, and only then renamed over the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Creates or replaces <paramref name="path"/> with what <paramref name="write"/> writes to the stream it is given.</summary>
    internal static void Write(string path, Action<FileStream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' does not name a file", nameof(path));
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"cannot write '{path}': the folder '{folder}' does not exist");
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* the original failure matters more than a leftover temporary file */ }
        catch (UnauthorizedAccessException) { }
    }
}
