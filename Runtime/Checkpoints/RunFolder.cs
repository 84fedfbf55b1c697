using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Composer.Checkpoints;

/// <summary>
/// The folder of one training run:
/// <code>
/// run/
///   checkpoint-1000/   model.safetensors, optimizer.safetensors, state.json
///   checkpoint-1500/
///   last               the name of the newest checkpoint folder ("checkpoint-1500")
///   best               the name of the checkpoint with the lowest validation loss
///   metrics.jsonl      one JSON object per training step and per evaluation
///   lock               held (locked) by the process training in the folder
/// </code>
/// A checkpoint is written into a hidden temporary folder, every file flushed to disk, then renamed
/// into place, and only then does <c>last</c> (itself replaced atomically) point to it. A process killed
/// at any moment leaves <c>last</c> naming a complete checkpoint; the leftovers of the interrupted write
/// are removed by the next process that takes the folder's <see cref="Lock"/>. Writing (saving,
/// pruning, moving pointers) is for the lock's holder only; reading needs no lock.
/// </summary>
public sealed class RunFolder
{
    /// <summary>The pointer file naming the newest checkpoint.</summary>
    public const string LastPointer = "last";
    /// <summary>The pointer file naming the best checkpoint.</summary>
    public const string BestPointer = "best";
    /// <summary>The metrics log's file name.</summary>
    public const string MetricsFile = "metrics.jsonl";
    /// <summary>The file the training process holds locked.</summary>
    public const string LockFile = "lock";

    private const string Prefix = "checkpoint-";
    private const string TemporaryPrefix = ".checkpoint-";
    private const string DeletingPrefix = ".deleting-";

    /// <summary>Opens a run folder, creating it if needed.</summary>
    /// <exception cref="IOException">The path names a file.</exception>
    public RunFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        if (File.Exists(Path)) throw new IOException($"the run folder '{path}' is a file; choose a folder name");
        Directory.CreateDirectory(Path);
    }

    /// <summary>
    /// Makes this process the folder's only writer until the result is disposed (an exclusive lock on
    /// the <c>lock</c> file, which the system releases even when the process is killed), then removes
    /// what interrupted writes left behind.
    /// </summary>
    /// <exception cref="IOException">Another process holds the lock: it is training in this folder.</exception>
    public IDisposable Lock()
    {
        string file = System.IO.Path.Combine(Path, LockFile);
        FileStream held;
        try
        {
            held = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"another process is training in '{Path}' (it holds '{file}'); wait for it to finish, or choose another run folder", e);
        }
        RemoveLeftovers();
        return held;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The metrics log's path.</summary>
    public string MetricsPath => System.IO.Path.Combine(Path, MetricsFile);

    /// <summary>The checkpoint <c>last</c> points to, or null when none has been written.</summary>
    /// <exception cref="InvalidDataException">The pointer names a folder that is missing or incomplete.</exception>
    public Checkpoint? Last() => Follow(LastPointer);

    /// <summary>The checkpoint <c>best</c> points to, or null before the first evaluation.</summary>
    public Checkpoint? Best() => Follow(BestPointer);

    /// <summary>Whether anything of an earlier run is here (a checkpoint or a <c>last</c> pointer).</summary>
    public bool HasCheckpoints => File.Exists(Pointer(LastPointer)) || Checkpoints().Count > 0;

    /// <summary>Every complete checkpoint folder, oldest first.</summary>
    public IReadOnlyList<(long Step, string Path)> Checkpoints() =>
        Directory.EnumerateDirectories(Path, Prefix + "*")
            .Select(d => (Step: StepOf(System.IO.Path.GetFileName(d)), Path: d))
            .Where(c => c.Step >= 0)
            .OrderBy(c => c.Step)
            .ToList();

    /// <summary>
    /// The checkpoint at <paramref name="path"/>: a checkpoint folder itself, or a run folder (its best
    /// checkpoint, else its last). What <c>evaluate</c> and <c>generate</c> accept.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder is neither a checkpoint nor a run folder with one.</exception>
    public static Checkpoint Resolve(string path)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"'{path}' does not exist; give a run folder or one of its checkpoint-N folders");
        if (File.Exists(System.IO.Path.Combine(path, Checkpoint.StateFile))) return Checkpoint.Open(path);
        var run = new RunFolder(path); // reading only: no lock, so a run training there is not disturbed
        return run.Best() ?? run.Last()
            ?? throw new InvalidDataException($"'{path}' holds no checkpoint: it is neither a checkpoint folder (with {Checkpoint.StateFile}) nor a run folder with a '{LastPointer}' pointer");
    }

    /// <summary>
    /// Writes checkpoint <paramref name="step"/> atomically: <paramref name="write"/> fills a temporary
    /// folder, which is flushed and renamed to <c>checkpoint-{step}</c>; then <c>best</c> (when
    /// <paramref name="isBest"/>) and <c>last</c> are pointed at it, and older checkpoints beyond the
    /// newest <paramref name="keepLast"/> are deleted (never the best one). Returns the folder's path.
    /// </summary>
    public string Save(long step, Action<string> write, bool isBest, int keepLast)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        string name = Prefix + step.ToString(CultureInfo.InvariantCulture);
        string final = System.IO.Path.Combine(Path, name);
        string temporary = System.IO.Path.Combine(Path, $"{TemporaryPrefix}{step}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temporary);
        try
        {
            write(temporary);
            DirectorySync.Flush(temporary);
            // A folder of the same name is a checkpoint written after the one this run resumed from
            // (killed before 'last' moved): nothing points to it, so it can go.
            if (Directory.Exists(final)) Delete(final);
            Directory.Move(temporary, final);
        }
        catch
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            throw;
        }
        DirectorySync.Flush(Path);
        if (isBest) WritePointer(BestPointer, name);
        WritePointer(LastPointer, name);
        Prune(keepLast);
        return final;
    }

    /// <summary>The folder <see cref="Save"/> writes checkpoint <paramref name="step"/> to.</summary>
    internal string CheckpointPath(long step) => System.IO.Path.Combine(Path, Prefix + step.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Points <c>best</c> at checkpoint <paramref name="step"/> when that folder exists. A resumed run
    /// calls it with its state's best step: a write killed after <c>best</c> moved but before <c>last</c>
    /// did would otherwise leave <c>best</c> naming a checkpoint the resumed run is about to redo.
    /// </summary>
    internal void PointBestAt(long? step)
    {
        if (step is not long s) return;
        string name = Prefix + s.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists(System.IO.Path.Combine(Path, name)) && ReadPointer(BestPointer) != name) WritePointer(BestPointer, name);
    }

    private void Prune(int keepLast)
    {
        string? best = ReadPointer(BestPointer), last = ReadPointer(LastPointer);
        var all = Checkpoints();
        foreach (var (_, path) in all.Take(Math.Max(0, all.Count - keepLast)))
        {
            string name = System.IO.Path.GetFileName(path);
            if (name != best && name != last) Delete(path);
        }
    }

    // Renaming first makes a deletion interrupted halfway leave a hidden leftover, never a
    // checkpoint-N folder with files missing.
    private void Delete(string folder)
    {
        string doomed = System.IO.Path.Combine(Path, $"{DeletingPrefix}{System.IO.Path.GetFileName(folder)}.{Guid.NewGuid():N}");
        Directory.Move(folder, doomed);
        DirectorySync.Flush(Path);
        Directory.Delete(doomed, recursive: true);
    }

    private void RemoveLeftovers()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path))
        {
            string name = System.IO.Path.GetFileName(dir);
            bool leftover = (name.StartsWith(TemporaryPrefix, StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal))
                || name.StartsWith(DeletingPrefix, StringComparison.Ordinal);
            if (leftover) Directory.Delete(dir, recursive: true);
        }
        // AtomicFile's temporaries for the pointers: ".last.<guid>.tmp", ".best.<guid>.tmp".
        foreach (var file in Directory.EnumerateFiles(Path, ".*.tmp"))
        {
            string name = System.IO.Path.GetFileName(file);
            if (name.StartsWith("." + LastPointer + ".", StringComparison.Ordinal) || name.StartsWith("." + BestPointer + ".", StringComparison.Ordinal)
                || name.StartsWith("." + MetricsFile + ".", StringComparison.Ordinal))
                File.Delete(file);
        }
    }

    private Checkpoint? Follow(string pointer)
    {
        string? name = ReadPointer(pointer);
        if (name is null) return null;
        string folder = System.IO.Path.Combine(Path, name);
        if (StepOf(name) < 0 || !Directory.Exists(folder))
            throw new InvalidDataException($"'{Pointer(pointer)}' names '{name}', which is not a checkpoint folder of this run; delete the pointer file or point it at an existing checkpoint-N folder");
        return Checkpoint.Open(folder);
    }

    private string? ReadPointer(string pointer)
    {
        string file = Pointer(pointer);
        return File.Exists(file) ? File.ReadAllText(file, Encoding.UTF8).Trim() : null;
    }

    private void WritePointer(string pointer, string name)
    {
        AtomicFile.Write(Pointer(pointer), stream => stream.Write(Encoding.UTF8.GetBytes(name + "\n")));
        DirectorySync.Flush(Path);
    }

    private string Pointer(string pointer) => System.IO.Path.Combine(Path, pointer);

    private static long StepOf(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal)
        && long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long step)
            ? step : -1;
}
