using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Google.Protobuf;
using Tensorboard;

namespace Composer.Training.TensorBoard;

/// <summary>
/// One TensorBoard event file (<c>events.out.tfevents.&lt;time&gt;.&lt;host&gt;.&lt;pid&gt;.&lt;n&gt;</c>): TFRecord
/// records, each <c>length (u64 LE) · masked CRC-32C of length · Event protobuf · masked CRC-32C of it</c>,
/// starting with the <c>brain.Event:2</c> version event. Scalars go in as <c>simple_value</c> summaries.
/// </summary>
/// <remarks>
/// TorchSharp's <c>torch.utils.tensorboard.SummaryWriter</c> writes the same framing but its wall times are
/// wrong for TensorBoard (the version event carries .NET ticks, scalars a float32 of Unix seconds, which
/// rounds to 128 s), it reopens the file for every scalar, and it cannot mark a restart; this writer keeps
/// the file open, stores Unix seconds as doubles, writes all of a step's scalars as one event, and flushes
/// each record as it is written (a killed run loses at most the record being written).
/// </remarks>
public sealed class EventFile : IDisposable
{
    private static int _counter;
    private readonly FileStream _stream;

    /// <summary>Creates a new event file in <paramref name="folder"/> (created if missing).</summary>
    /// <exception cref="IOException">The folder cannot be created or written; the message says which folder and how to fix it.</exception>
    public EventFile(string folder)
    {
        long seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // TensorBoard reads a folder's files in name order; the zero-padded counter keeps one process's files in the order written.
        string name = $"events.out.tfevents.{seconds}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref _counter):D6}";
        Path = System.IO.Path.Combine(folder, name);
        try
        {
            Directory.CreateDirectory(folder);
            _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The raw message names a path but not what was being written there or what to do about it.
            string reason = e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.');
            throw new IOException($"cannot write TensorBoard event files to '{folder}' ({reason}); give a writable folder with --tensorboard DIR, or turn them off with --no-tensorboard", e);
        }
        Write(new Event { WallTime = Now(), FileVersion = "brain.Event:2" });
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Writes the scalars of one step as one event.</summary>
    public void WriteScalars(long step, IEnumerable<(string Tag, double Value)> scalars)
    {
        var summary = new Summary();
        foreach (var (tag, value) in scalars)
            summary.Value.Add(new Summary.Types.Value { Tag = tag, SimpleValue = (float)value });
        if (summary.Value.Count > 0) Write(new Event { WallTime = Now(), Step = step, Summary = summary });
    }

    /// <summary>
    /// Marks a restart at <paramref name="step"/>: TensorBoard then drops the events of earlier files from
    /// this step on, the updates a resumed run is about to redo (PyTorch's <c>purge_step</c>).
    /// </summary>
    public void WriteRestart(long step) =>
        Write(new Event { WallTime = Now(), Step = step, SessionLog = new SessionLog { Status = SessionLog.Types.SessionStatus.Start } });

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private void Write(Event e)
    {
        byte[] data = e.ToByteArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        _stream.Write(header);
        _stream.Write(data);
        _stream.Write(footer);
        _stream.Flush();
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _stream.Dispose();
}
