using System.Collections.Generic;
using static TorchSharp.torch;

namespace Composer.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, and nothing else: the boundary between
/// Composer's trainer and a communication engine. <see cref="MpiCollectives"/> implements it on MPI
/// (MPICH); an implementation on NCCL, for GPUs, would slot in behind the same five members.
/// </summary>
/// <remarks>
/// Every rank of a job calls the same operations in the same order with tensors of the same shapes and
/// dtypes; that is the contract of collectives. Operations block until they are complete on this rank.
/// An implementation does not wait forever for a rank that died or hangs: it throws
/// <see cref="CollectiveException"/> after its deadline. Tensors must be contiguous; an implementation
/// may require them on a particular device (MPI: any, staged through host memory when not on the CPU).
/// </remarks>
public interface ICollectives
{
    /// <summary>This process's rank: 0 … <see cref="Size"/> − 1. Rank 0 writes the run's files.</summary>
    int Rank { get; }

    /// <summary>Number of processes in the job.</summary>
    int Size { get; }

    /// <summary>
    /// Replaces each tensor, in place, by its element-wise sum over all ranks; every rank ends with the
    /// same values. The tensors travel together (one pass): an implementation may start all of them
    /// before waiting for any.
    /// </summary>
    /// <param name="tensors">Contiguous float32, float64 or int64 tensors.</param>
    /// <exception cref="CollectiveException">A rank did not take part in time, or the transport failed.</exception>
    void AllReduceSum(IReadOnlyList<Tensor> tensors);

    /// <summary>Overwrites <paramref name="tensor"/> on every rank with its value on <paramref name="root"/>.</summary>
    /// <param name="tensor">A contiguous tensor of any dtype, of the same shape on every rank.</param>
    /// <param name="root">The rank whose values everyone receives.</param>
    /// <exception cref="CollectiveException">A rank did not take part in time, or the transport failed.</exception>
    void Broadcast(Tensor tensor, int root);

    /// <summary>Returns once every rank has called it.</summary>
    /// <exception cref="CollectiveException">A rank did not arrive in time, or the transport failed.</exception>
    void Barrier();
}
