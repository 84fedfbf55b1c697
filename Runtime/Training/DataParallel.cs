using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Composer.Data;
using Composer.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Composer.Training;

/// <summary>
/// What the <see cref="Trainer"/> does differently when it is one of several ranks (processes) training
/// one model data-parallel through <see cref="ICollectives"/>: every rank reads the same global batches,
/// trains on its own rows of each, and the gradients are summed over the ranks in one pass, so that
/// clipping and the optimizer then run on the same numbers everywhere and the weights stay identical.
/// </summary>
/// <remarks>
/// <para>
/// Why the result equals one process training on the whole batch: each rank divides its rows' summed
/// loss by the target count of the <em>whole</em> batch before the backward pass, so the sum of the
/// ranks' gradients is the gradient of the per-target mean over the whole batch — the single process's
/// gradient (up to the order of floating-point additions). Dropout draws the whole batch's masks on every
/// rank and applies its own rows (<see cref="Layers.DropoutMasks"/>), so the masks are the single
/// process's too, and every rank's random generator stays in step with rank 0's.
/// </para>
/// <para>
/// Rows are split in order, as evenly as possible: with B rows and N ranks, rank r computes
/// ⌊B/N⌋ rows, one more when r &lt; B mod N. A batch of fewer rows than ranks leaves the last ranks
/// without rows for it; they draw no dropout masks, so rank 0's random generator is sent to every rank
/// after such an update.
/// </para>
/// </remarks>
internal sealed class DataParallel : IDisposable
{
    private readonly ICollectives _collectives;
    private readonly GradientBuckets _buckets;

    public DataParallel(ICollectives collectives, IReadOnlyList<Parameter> parameters)
    {
        _collectives = collectives;
        // One extra value travels with the gradients: the loss summed over the rank's rows.
        _buckets = new GradientBuckets(parameters, extraValues: 1);
    }

    public int Rank => _collectives.Rank;

    public int Size => _collectives.Size;

    /// <summary>Rank 0: the rank that reads and writes the run folder and reports progress.</summary>
    public bool IsRoot => _collectives.Rank == 0;

    /// <summary>The rows of a batch of <paramref name="rows"/> that <paramref name="rank"/> of <paramref name="size"/> computes: (first row, count).</summary>
    public static (long Offset, long Count) RowsOf(long rows, int rank, int size)
    {
        long share = rows / size, extra = rows % size;
        return (rank * share + Math.Min(rank, extra), share + (rank < extra ? 1 : 0));
    }

    /// <summary>This rank's rows of <paramref name="batch"/> (which is released), moved on by <paramref name="toDevice"/>.</summary>
    public MicroBatch Shard(Batch batch, Func<Batch, Batch> toDevice)
    {
        try
        {
            var (offset, count) = RowsOf(batch.Size, Rank, Size);
            var local = count == 0 ? null : toDevice(batch.Rows(offset, count));
            return new MicroBatch(local, batch.InputTokens, batch.TargetTokens, offset, batch.Size, Sharded: true);
        }
        finally
        {
            batch.Dispose();
        }
    }

    /// <summary>Wall time of the last update's gradient all-reduce, copies into and out of the buckets included.</summary>
    public TimeSpan LastReduceTime { get; private set; }

    /// <summary>
    /// Sums the gradients and <paramref name="lossSum"/> (this rank's summed loss) over the ranks; returns
    /// the summed loss of the whole update. Then, if a micro-batch left some rank without rows, gives every
    /// rank rank 0's random generator state (see the remarks of <see cref="DataParallel"/>).
    /// </summary>
    public double Reduce(double lossSum, IReadOnlyList<MicroBatch> batches)
    {
        Span<double> extra = [lossSum];
        long started = Stopwatch.GetTimestamp();
        _buckets.Reduce(_collectives, extra);
        LastReduceTime = Stopwatch.GetElapsedTime(started);
        if (batches.Any(b => b.GlobalRows < Size)) ShareRandomGenerator();
        return extra[0];
    }

    /// <summary>Scores the validation set, each rank a share of its batches; every rank gets the same result.</summary>
    public EvaluationResult Evaluate(Objective objective, nn.Module model, IEvaluationSet set, Device device)
    {
        var (loss, correct, targets) = objective.Sums(model, set, device, take: i => i % Size == Rank);
        using var sums = tensor(new[] { loss, correct, targets });
        _collectives.AllReduceSum([sums]);
        var total = sums.data<double>().ToArray();
        return Objective.Result((total[0], total[1], (long)Math.Round(total[2])));
    }

    /// <summary>Overwrites <paramref name="tensors"/> on every rank with rank 0's values (weights, moments).</summary>
    public void Broadcast(IEnumerable<Tensor> tensors)
    {
        using var noGrad = no_grad();
        foreach (var t in tensors) _collectives.Broadcast(t, 0);
    }

    /// <summary>Rank 0's <paramref name="data"/> (ignored elsewhere), on every rank.</summary>
    public byte[] Share(byte[]? data) => _collectives.Share(data, 0);

    /// <summary>Every rank continues with rank 0's CPU random generator.</summary>
    public void ShareRandomGenerator()
    {
        using var generator = Generator.Default;
        using var state = generator.get_state();
        _collectives.Broadcast(state, 0);
        if (!IsRoot) generator.set_state(state);
    }

    /// <summary>Releases the gradient buffers (the collectives belong to the caller).</summary>
    public void Dispose() => _buckets.Dispose();
}
