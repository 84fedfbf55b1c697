using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Composer.Distributed;

/// <summary>
/// The few functions of MPI's C API that <see cref="MpiCollectives"/> calls, bound to MPICH's ABI
/// (<c>libmpich.so.12</c>: MPICH 3.1 and later, and the MPI libraries that keep its ABI — Intel MPI,
/// MVAPICH, Cray MPICH). The library is loaded only when a job of more than one process asks for it.
/// </summary>
/// <remarks>
/// MPICH's handles are plain <c>int</c>s and its predefined objects are integer constants (from
/// <c>mpi.h</c> of MPICH 4.0.2: <c>MPI_COMM_WORLD</c> = 0x44000000, <c>MPI_FLOAT</c> = 0x4c00040a, …),
/// so the binding is function pointers over integers and buffers. Open MPI's handles are instead the
/// addresses of exported globals (<c>&amp;ompi_mpi_comm_world</c>), a different ABI this binding does
/// not cover. Only the non-blocking collectives and <c>MPI_Test</c> are used, so that a caller can
/// give up on a rank that never arrives.
/// </remarks>
internal sealed unsafe class Mpich
{
    /// <summary>The library loaded unless <see cref="LibraryVariable"/> names another.</summary>
    public const string DefaultLibrary = "libmpich.so.12";

    /// <summary>An environment variable naming the MPI library to load instead (a path or a soname with MPICH's ABI).</summary>
    public const string LibraryVariable = "COMPOSER_MPI_LIBRARY";

    public const int Success = 0;
    public const int CommWorld = 0x44000000;
    public const int ErrorsReturn = 0x54000001;
    public const int ThreadFunneled = 1;
    public const int Sum = 0x58000003;
    public const int Byte = 0x4c00010d;
    public const int Int32 = 0x4c000405;
    public const int Int64 = 0x4c00083a;
    public const int Float32 = 0x4c00040a;
    public const int Float64 = 0x4c00080b;
    public const int RequestNull = 0x2c000000;
    private const int MaxErrorString = 512;
    private const int MaxLibraryVersionString = 8192;

    // MPI_IN_PLACE is (void*)-1 and MPI_STATUS_IGNORE is (MPI_Status*)1 in MPICH's mpi.h.
    public static readonly void* InPlace = (void*)-1;
    private static readonly void* StatusIgnore = (void*)1;

    private readonly delegate* unmanaged<int*, byte***, int, int*, int> _initThread;
    private readonly delegate* unmanaged<int*, int> _initialized;
    private readonly delegate* unmanaged<int*, int> _finalized;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly delegate* unmanaged<int, int, int> _abort;
    private readonly delegate* unmanaged<int, int*, int> _commRank;
    private readonly delegate* unmanaged<int, int*, int> _commSize;
    private readonly delegate* unmanaged<int, int, int> _commSetErrhandler;
    private readonly delegate* unmanaged<void*, void*, int, int, int, int, int*, int> _iallreduce;
    private readonly delegate* unmanaged<void*, int, int, int, int, int*, int> _ibcast;
    private readonly delegate* unmanaged<int, int*, int> _ibarrier;
    private readonly delegate* unmanaged<int*, int*, void*, int> _test;
    private readonly delegate* unmanaged<int, byte*, int*, int> _errorString;
    private readonly delegate* unmanaged<byte*, int*, int> _libraryVersion;

    private Mpich(IntPtr library)
    {
        IntPtr Export(string name) => NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new MpiUnavailableException($"the MPI library has no function {name}; Composer needs an MPI 3 library with MPICH's ABI (Debian and Ubuntu: apt-get install mpich)");
        _initThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        _initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        _finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        _abort = (delegate* unmanaged<int, int, int>)Export("MPI_Abort");
        _commRank = (delegate* unmanaged<int, int*, int>)Export("MPI_Comm_rank");
        _commSize = (delegate* unmanaged<int, int*, int>)Export("MPI_Comm_size");
        _commSetErrhandler = (delegate* unmanaged<int, int, int>)Export("MPI_Comm_set_errhandler");
        _iallreduce = (delegate* unmanaged<void*, void*, int, int, int, int, int*, int>)Export("MPI_Iallreduce");
        _ibcast = (delegate* unmanaged<void*, int, int, int, int, int*, int>)Export("MPI_Ibcast");
        _ibarrier = (delegate* unmanaged<int, int*, int>)Export("MPI_Ibarrier");
        _test = (delegate* unmanaged<int*, int*, void*, int>)Export("MPI_Test");
        _errorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
        _libraryVersion = (delegate* unmanaged<byte*, int*, int>)Export("MPI_Get_library_version");
    }

    /// <summary>Loads the MPI library (<see cref="LibraryVariable"/> or <see cref="DefaultLibrary"/>) and binds its functions.</summary>
    /// <exception cref="MpiUnavailableException">The library cannot be loaded or lacks a function; the message says how to install it.</exception>
    public static Mpich Load()
    {
        string name = Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } chosen ? chosen : DefaultLibrary;
        if (!NativeLibrary.TryLoad(name, out var library))
            throw new MpiUnavailableException(name == DefaultLibrary
                ? $"this process was started by an MPI launcher for a job of several processes, but MPICH's library ({DefaultLibrary}) cannot be loaded; install MPICH (Debian and Ubuntu: apt-get install mpich) or name an MPI library with MPICH's ABI in {LibraryVariable}"
                : $"{LibraryVariable} names '{name}', which cannot be loaded; give the path of an MPI library with MPICH's ABI (libmpich.so.12) or unset it");
        return new Mpich(library);
    }

    /// <summary>MPI_Init_thread with no arguments; returns the thread level provided.</summary>
    public int InitThread(int required)
    {
        int provided;
        Check(_initThread(null, null, required, &provided), "MPI_Init_thread");
        return provided;
    }

    public bool Initialized()
    {
        int flag;
        Check(_initialized(&flag), "MPI_Initialized");
        return flag != 0;
    }

    public bool Finalized()
    {
        int flag;
        Check(_finalized(&flag), "MPI_Finalized");
        return flag != 0;
    }

    public void FinalizeMpi() => Check(_finalize(), "MPI_Finalize");

    /// <summary>MPI_Abort on the world: the launcher ends every process of the job. Does not return when it works.</summary>
    public int Abort(int code) => _abort(CommWorld, code);

    public int Rank()
    {
        int rank;
        Check(_commRank(CommWorld, &rank), "MPI_Comm_rank");
        return rank;
    }

    public int Size()
    {
        int size;
        Check(_commSize(CommWorld, &size), "MPI_Comm_size");
        return size;
    }

    /// <summary>Errors on the world communicator come back as codes instead of ending the process, so they can be reported.</summary>
    public void ReturnErrors() => Check(_commSetErrhandler(CommWorld, ErrorsReturn), "MPI_Comm_set_errhandler");

    public int Iallreduce(void* buffer, int count, int datatype, out int request)
    {
        int r;
        int code = _iallreduce(InPlace, buffer, count, datatype, Sum, CommWorld, &r);
        request = r;
        return code;
    }

    public int Ibcast(void* buffer, int count, int datatype, int root, out int request)
    {
        int r;
        int code = _ibcast(buffer, count, datatype, root, CommWorld, &r);
        request = r;
        return code;
    }

    public int Ibarrier(out int request)
    {
        int r;
        int code = _ibarrier(CommWorld, &r);
        request = r;
        return code;
    }

    /// <summary>MPI_Test: whether the request completed (it is then freed and set to MPI_REQUEST_NULL).</summary>
    public int Test(ref int request, out bool done)
    {
        int flag;
        int code;
        fixed (int* r = &request) code = _test(r, &flag, StatusIgnore);
        done = flag != 0;
        return code;
    }

    /// <summary>MPI's text for an error code.</summary>
    public string ErrorText(int code)
    {
        byte* text = stackalloc byte[MaxErrorString];
        int length = 0;
        return _errorString(code, text, &length) == Success && length > 0
            ? Encoding.UTF8.GetString(text, Math.Min(length, MaxErrorString)).Trim()
            : $"MPI error {code}";
    }

    /// <summary>The library's own description (first line: "MPICH Version: 4.0.2").</summary>
    public string LibraryVersion()
    {
        var text = new byte[MaxLibraryVersionString];
        int length = 0;
        fixed (byte* p = text)
            if (_libraryVersion(p, &length) != Success) return "unknown MPI";
        return Encoding.UTF8.GetString(text, 0, Math.Clamp(length, 0, text.Length)).Split('\n')[0].Trim();
    }

    private void Check(int code, string function)
    {
        if (code != Success) throw new CollectiveException($"{function} failed: {ErrorText(code)}");
    }
}
