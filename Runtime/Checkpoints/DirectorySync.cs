using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Composer.Checkpoints;

/// <summary>
/// Flushes a folder's entries to disk. A rename is atomic, but it is only durable once the folder that
/// holds it is flushed too; otherwise a power cut can bring back the old name. POSIX systems need an
/// explicit <c>fsync</c> on the folder, which .NET does not offer; Windows makes renames durable itself.
/// </summary>
internal static partial class DirectorySync
{
    internal static void Flush(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        // O_RDONLY opens a folder on every POSIX system (O_DIRECTORY's value differs between them).
        int fd = open(folder, ReadOnly);
        if (fd < 0) throw new IOException($"cannot open the folder '{folder}' to flush it to disk (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            // Some file systems cannot flush a folder (EINVAL); the data files themselves were flushed.
            if (fsync(fd) != 0 && Marshal.GetLastPInvokeError() is int errno && errno != EINVAL)
                throw new IOException($"flushing the folder '{folder}' to disk failed (errno {errno})");
        }
        finally
        {
            close(fd);
        }
    }

    private const int ReadOnly = 0;
    private const int EINVAL = 22;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
