using System.Collections.Generic;
using Composer.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Tests.Distributed;

/// <summary>
/// Collectives of a job whose ranks all hold what this one holds: rank 0 of <see cref="Size"/>, an
/// all-reduce multiplies by the size, a broadcast from rank 0 changes nothing. Enough to check what is
/// built around the collectives (flattening, bucketing, refusals) in one process.
/// </summary>
internal sealed class TwinRanks(int size) : ICollectives
{
    public int Rank => 0;

    public int Size { get; } = size;

    /// <summary>Tensors passed to each all-reduce call, by call.</summary>
    public List<int> AllReduceCalls { get; } = [];

    public void AllReduceSum(IReadOnlyList<Tensor> tensors)
    {
        AllReduceCalls.Add(tensors.Count);
        using var noGrad = no_grad();
        using Scalar factor = Size;
        foreach (var t in tensors) t.mul_(factor);
    }

    public void Broadcast(Tensor tensor, int root) { }

    public void Barrier() { }
}
