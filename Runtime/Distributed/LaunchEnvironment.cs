using System;
using System.Globalization;

namespace Composer.Distributed;

/// <summary>
/// Where this process stands in a job started by an MPI launcher, read from the variables the launcher
/// sets, so that a process started on its own (or as a job of one) never loads an MPI library.
/// </summary>
/// <remarks>
/// MPICH's <c>mpirun</c>/<c>mpiexec</c> (Hydra), Intel MPI and Slurm's PMI-2 set <c>PMI_RANK</c> and
/// <c>PMI_SIZE</c>; Hydra adds <c>MPI_LOCALNRANKS</c>, the processes on this machine. Open MPI's launcher
/// sets <c>OMPI_COMM_WORLD_SIZE</c> instead: its library has another ABI, which Composer does not bind,
/// and such a start is refused with the fix.
/// </remarks>
/// <param name="Rank">This process's rank.</param>
/// <param name="Size">Processes in the job.</param>
/// <param name="LocalSize">Processes of the job on this machine (what the cores are shared by).</param>
public readonly record struct LaunchEnvironment(int Rank, int Size, int LocalSize)
{
    /// <summary>
    /// The job this process belongs to, or null when it runs alone: no launcher, or a job of one
    /// process (then nothing about MPI is needed).
    /// </summary>
    /// <exception cref="MpiUnavailableException">Open MPI's launcher started a job of several processes, or the variables contradict each other.</exception>
    public static LaunchEnvironment? Detect() => Detect(Environment.GetEnvironmentVariable);

    /// <summary>Same, reading variables through <paramref name="variable"/> (tests).</summary>
    public static LaunchEnvironment? Detect(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (Number(variable, "PMI_SIZE") is int size)
        {
            if (size <= 1) return null;
            int rank = Number(variable, "PMI_RANK") ?? throw new MpiUnavailableException($"PMI_SIZE is {size} but PMI_RANK is not set; start the job with MPICH's mpirun (or mpiexec)");
            if (rank < 0 || rank >= size) throw new MpiUnavailableException($"PMI_RANK is {rank}, outside the job's {size} processes; start the job with MPICH's mpirun (or mpiexec)");
            int local = Number(variable, "MPI_LOCALNRANKS") is int l && l >= 1 && l <= size ? l : size;
            return new LaunchEnvironment(rank, size, local);
        }
        if (Number(variable, "OMPI_COMM_WORLD_SIZE") is > 1)
            throw new MpiUnavailableException("this job was started by Open MPI's mpirun, whose library has an ABI Composer does not bind; install MPICH (Debian and Ubuntu: apt-get install mpich) and start the job with mpirun.mpich (or mpiexec.mpich)");
        return null;
    }

    private static int? Number(Func<string, string?> variable, string name) =>
        variable(name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;
}
