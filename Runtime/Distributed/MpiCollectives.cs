using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Distributed;

/// <summary>
/// <see cref="ICollectives"/> on MPI (MPICH's ABI, see <see cref="Mpich"/>): MPI's own collectives,
/// started non-blocking and waited for with a deadline, so that a rank that died or hangs is reported
/// instead of waited for forever.
/// </summary>
/// <remarks>
/// <para>
/// When a process of the job dies, MPICH's launcher (Hydra) by default kills every other process at
/// once (SIGKILL, which no process can answer) and prints its own "BAD TERMINATION" banner with the
/// dead process's PID. Started with <c>mpirun -disable-auto-cleanup</c>, it leaves them running and
/// may send them SIGUSR1; this class answers that signal: the rank stops at its next collective (or
/// within <see cref="SignalGrace"/>) with a message saying why. (Over UCX's shared-memory transport,
/// Debian's MPICH, a survivor's next transfer from the dead process fails inside UCX, which ends it
/// before either: measured here, the job then ends within a second either way.) A rank that hangs without dying is
/// caught by the deadline: a collective that does not complete within <see cref="PeerTimeout"/> stops
/// the rank. MPICH itself does not notice a dead peer in a collective over shared memory; it waits.
/// </para>
/// <para>
/// Ending: call <see cref="Finish"/> when every rank ends the job together (success, or a failure every
/// rank raised alike); <see cref="Dispose"/> then calls <c>MPI_Finalize</c>. Otherwise — a collective
/// failed, or an exception left this rank alone — it calls <c>MPI_Abort</c>, and the launcher ends the
/// other processes, which may be waiting for this one.
/// </para>
/// <para>
/// All MPI calls are made from the thread that created the instance (MPI_THREAD_FUNNELED). Tensors
/// that are not on the CPU are staged through host memory; a CUDA-aware MPI or an NCCL implementation
/// of <see cref="ICollectives"/> would avoid the copies.
/// </para>
/// </remarks>
public sealed partial class MpiCollectives : ICollectives, IDisposable
{
    /// <summary>After the launcher's signal, how long the main thread has to reach a collective and stop with its own message.</summary>
    public static readonly TimeSpan SignalGrace = TimeSpan.FromSeconds(10);

    private const int SigUsr1 = 10;
    private readonly Mpich _mpi;
    private readonly int _thread;
    private readonly List<PosixSignalRegistration> _signals = [];
    private volatile string? _signalled;
    private bool _failed;
    private bool _finished;
    private bool _disposed;

    private MpiCollectives(Mpich mpi, int rank, int size, TimeSpan peerTimeout, string library)
    {
        _mpi = mpi;
        _thread = Environment.CurrentManagedThreadId;
        Rank = rank;
        Size = size;
        PeerTimeout = peerTimeout;
        Library = library;
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size { get; }

    /// <summary>How long a collective may wait for the other ranks before this rank gives up on them.</summary>
    public TimeSpan PeerTimeout { get; }

    /// <summary>The MPI library's own description, e.g. "MPICH Version: 4.0.2".</summary>
    public string Library { get; }

    /// <summary>
    /// Joins the job the launcher started (<paramref name="launch"/>): loads the MPI library, initialises
    /// MPI and checks that it sees the job the launcher described.
    /// </summary>
    /// <param name="launch">The job, as <see cref="LaunchEnvironment.Detect()"/> read it.</param>
    /// <param name="peerTimeout">How long a collective may wait for the other ranks.</param>
    /// <exception cref="MpiUnavailableException">The library cannot be loaded, or MPI sees another job than the launcher described.</exception>
    public static MpiCollectives Start(LaunchEnvironment launch, TimeSpan peerTimeout)
    {
        if (peerTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(peerTimeout), peerTimeout, "the peer timeout must be positive");
        // UCX (MPICH's transport on Debian) installs handlers for SIGSEGV, SIGBUS, SIGILL and SIGFPE by
        // default; .NET turns those signals into NullReferenceException and friends, so UCX's handler
        // would end the process on the first null dereference. An empty list turns its handlers off.
        // UCX reads its settings when its library is loaded (with MPI's), so this comes first; and .NET
        // keeps its own copy of the environment, hence libc's setenv.
        SetNativeVariable("UCX_ERROR_SIGNALS", "");
        var mpi = Mpich.Load();
        if (!mpi.Initialized()) mpi.InitThread(Mpich.ThreadFunneled);
        mpi.ReturnErrors();
        int rank = mpi.Rank(), size = mpi.Size();
        if (rank != launch.Rank || size != launch.Size)
        {
            mpi.Abort(1);
            throw new MpiUnavailableException($"the launcher started rank {launch.Rank} of {launch.Size} but MPI reports rank {rank} of {size}: the launcher and the MPI library do not belong together; start the job with the mpirun of the library Composer loads ({Mpich.DefaultLibrary} unless {Mpich.LibraryVariable} says otherwise)");
        }
        var collectives = new MpiCollectives(mpi, rank, size, peerTimeout, mpi.LibraryVersion());
        collectives.HandleSignals();
        return collectives;
    }

    /// <inheritdoc />
    public unsafe void AllReduceSum(IReadOnlyList<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var requests = new List<int>();
        var staged = new List<(Tensor Original, Tensor Host)>();
        try
        {
            foreach (var tensor in tensors)
            {
                int datatype = tensor.dtype switch
                {
                    ScalarType.Float32 => Mpich.Float32,
                    ScalarType.Float64 => Mpich.Float64,
                    ScalarType.Int64 => Mpich.Int64,
                    ScalarType.Int32 => Mpich.Int32,
                    _ => throw new ArgumentException($"all-reduce sums float32, float64, int64 or int32 tensors, not {tensor.dtype}; convert it first", nameof(tensors)),
                };
                var host = Host(tensor, staged);
                Start(host, datatype, tensor.ElementSize, requests, (buffer, count) =>
                    (_mpi.Iallreduce((void*)buffer, count, datatype, out int request), request));
            }
            Wait(requests, "an all-reduce");
            foreach (var (original, host) in staged) original.copy_(host);
        }
        finally
        {
            foreach (var (_, host) in staged) host.Dispose();
        }
    }

    /// <inheritdoc />
    public unsafe void Broadcast(Tensor tensor, int root)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (root < 0 || root >= Size) throw new ArgumentOutOfRangeException(nameof(root), root, $"the root must be a rank of the job, 0 to {Size - 1}");
        var staged = new List<(Tensor Original, Tensor Host)>();
        var requests = new List<int>();
        try
        {
            var host = Host(tensor, staged);
            // Bytes whatever the dtype: a broadcast copies, it never computes.
            Start(host, Mpich.Byte, 1, requests, (buffer, count) =>
                (_mpi.Ibcast((void*)buffer, count, Mpich.Byte, root, out int request), request));
            Wait(requests, $"a broadcast from rank {root}");
            if (Rank != root)
                foreach (var (original, staging) in staged) original.copy_(staging);
        }
        finally
        {
            foreach (var (_, host) in staged) host.Dispose();
        }
    }

    /// <inheritdoc />
    public void Barrier()
    {
        EnsureUsable();
        int code = _mpi.Ibarrier(out int request);
        if (code != Mpich.Success) Fail($"MPI_Ibarrier failed: {_mpi.ErrorText(code)}");
        Wait([request], "a barrier");
    }

    /// <summary>
    /// Marks an ending every rank reaches together (the run finished, or every rank raised the same
    /// failure): <see cref="Dispose"/> then finalizes MPI instead of aborting the job.
    /// </summary>
    public void Finish() => _finished = true;

    /// <summary>
    /// Finalizes MPI after <see cref="Finish"/>; otherwise aborts the whole job (the launcher ends every
    /// process), since the other ranks may be waiting for this one. Output is flushed first.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var signal in _signals) signal.Dispose();
        Console.Out.Flush();
        Console.Error.Flush();
        if (_finished && !_failed)
        {
            if (!_mpi.Finalized()) _mpi.FinalizeMpi();
            return;
        }
        _mpi.Abort(1);
    }

    // ---- the machinery ----------------------------------------------------------------------------

    // The tensor's memory on the host: the tensor itself on the CPU, else a staged copy.
    private static Tensor Host(Tensor tensor, List<(Tensor Original, Tensor Host)> staged)
    {
        if (!tensor.is_contiguous()) throw new ArgumentException("collectives need contiguous tensors; call contiguous() first");
        if (tensor.device_type == DeviceType.CPU) return tensor;
        var host = tensor.cpu().DetachFromDisposeScope();
        staged.Add((tensor, host));
        return host;
    }

    // Starts one operation per chunk of at most int.MaxValue elements (MPI counts are ints).
    private unsafe void Start(Tensor host, int datatype, long elementSize, List<int> requests, Func<IntPtr, int, (int Code, int Request)> start)
    {
        EnsureUsable();
        long count = host.numel() * (datatype == Mpich.Byte ? host.ElementSize : 1);
        if (count == 0) return;
        byte* data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(host.bytes));
        long unit = datatype == Mpich.Byte ? 1 : elementSize;
        for (long offset = 0; offset < count; offset += int.MaxValue)
        {
            int chunk = (int)Math.Min(int.MaxValue, count - offset);
            var (code, request) = start((IntPtr)(data + offset * unit), chunk);
            if (code != Mpich.Success) Fail($"starting a collective failed: {_mpi.ErrorText(code)}");
            requests.Add(request);
        }
    }

    /// <summary>
    /// How long <see cref="Wait"/> tests without sleeping. MPICH advances a non-blocking collective only
    /// inside MPI calls, so every millisecond slept between tests stalls the gradient all-reduce's next
    /// round: with a 5 ms spin, a 17 MiB all-reduce at configuration (b) spent 52 ms per update, about 10%
    /// of it (bench/run parallel). A second covers any collective among ranks in step.
    /// </summary>
    private static readonly TimeSpan SpinFor = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Waits for every request: testing with only a yield in between at first (a collective among ranks in
    /// step takes micro- to milliseconds, and MPICH makes progress only while tested), then sleeping a
    /// millisecond between tests, so a rank that waits long for a slower one leaves it the core. Gives up
    /// after <see cref="PeerTimeout"/>, or when the launcher signalled.
    /// </summary>
    private void Wait(IList<int> requests, string operation)
    {
        var pending = new int[requests.Count];
        requests.CopyTo(pending, 0);
        long started = Stopwatch.GetTimestamp();
        while (true)
        {
            bool all = true;
            for (int i = 0; i < pending.Length; i++)
            {
                if (pending[i] == Mpich.RequestNull) continue;
                int code = _mpi.Test(ref pending[i], out bool done);
                if (code != Mpich.Success) Fail($"{operation} failed: {_mpi.ErrorText(code)}; another rank probably died");
                all &= done;
            }
            if (all) return;
            if (_signalled is { } why) Fail($"{why}; this rank stops too");
            var waited = Stopwatch.GetElapsedTime(started);
            if (waited > PeerTimeout)
                Fail($"{operation} did not complete within {Seconds(PeerTimeout)} s: another rank died or stopped responding (if a rank legitimately needs longer between collectives, e.g. to write a large checkpoint, raise --peer-timeout)");
            if (waited < SpinFor) Thread.Yield();
            else Thread.Sleep(1);
        }
    }

    private void EnsureUsable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed) throw new CollectiveException($"rank {Rank} of {Size}: an earlier collective failed, so the job cannot continue");
        if (Environment.CurrentManagedThreadId != _thread)
            throw new InvalidOperationException("MPI collectives must be called from the thread that started MPI (MPI_THREAD_FUNNELED)");
    }

    [DoesNotReturn]
    private void Fail(string message)
    {
        _failed = true;
        throw new CollectiveException($"rank {Rank} of {Size}: {message}");
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// SIGUSR1 is how Hydra, started with <c>-disable-auto-cleanup</c>, tells the survivors that a process
    /// of the job ended: the main thread stops at its next collective; if it does not get there within
    /// <see cref="SignalGrace"/> (a long step, or MPI_Finalize, which cannot be interrupted), the process
    /// exits from here. SIGTERM (a launcher or a user stopping this rank) gets one line saying so before
    /// .NET's default handling ends the process.
    /// </summary>
    private void HandleSignals()
    {
        _signals.Add(PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
        {
            context.Cancel = true;
            if (_signalled is not null) return;
            _signalled = "MPICH's launcher reported that another process of this job ended";
            _ = Task.Run(async () =>
            {
                await Task.Delay(SignalGrace).ConfigureAwait(false);
                Console.Out.Flush();
                Console.Error.WriteLine($"error: rank {Rank} of {Size}: {_signalled}; this rank did not reach a collective within {Seconds(SignalGrace)} s, so it exits now. Resume the run with --resume: it continues from the last complete checkpoint.");
                Console.Error.Flush();
                ExitNow(1);
            });
        }));
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ =>
        {
            Console.Error.WriteLine($"error: rank {Rank} of {Size} received SIGTERM and stops; the other ranks stop too. Resume the run with --resume: it continues from the last complete checkpoint.");
            Console.Error.Flush();
        }));
    }

    private static void SetNativeVariable(string name, string value)
    {
        if (setenv(name, value, 1) != 0)
            throw new MpiUnavailableException($"cannot set {name} for the MPI library (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>Ends the process at once (libc's <c>_exit</c>): no managed shutdown that could wait on the stuck main thread.</summary>
    private static void ExitNow(int code) => _exit(code);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc")]
    private static partial void _exit(int code);
}
