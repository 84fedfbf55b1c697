using System;
using Composer.Data;
using Composer.Layers;

namespace Composer.Training;

/// <summary>
/// One micro-batch of an update as this process trains on it: the whole batch, or in data-parallel
/// training this rank's rows of it (<see cref="Local"/>, null when the batch has fewer rows than there
/// are ranks and none fall to this one), with the counts of the whole batch, which the loss is
/// averaged over.
/// </summary>
/// <param name="Local">The rows this process computes, on the training device; null when it has none.</param>
/// <param name="Tokens">Tokens of the whole batch.</param>
/// <param name="Targets">Targets of the whole batch.</param>
/// <param name="Offset">The first row of <see cref="Local"/> within the whole batch.</param>
/// <param name="GlobalRows">Rows of the whole batch.</param>
/// <param name="Sharded">Whether <see cref="Local"/> is a share of a batch split between processes.</param>
internal sealed record MicroBatch(Batch? Local, long Tokens, long Targets, long Offset, long GlobalRows, bool Sharded) : IDisposable
{
    /// <summary>A batch this process trains on whole.</summary>
    public static MicroBatch Whole(Batch batch) => new(batch, batch.InputTokens, batch.TargetTokens, 0, batch.Size, Sharded: false);

    /// <summary>While computing a share of a split batch: dropout draws the whole batch's masks (<see cref="DropoutMasks"/>). Null otherwise.</summary>
    public IDisposable? DropoutRows() => Sharded && Local is not null ? DropoutMasks.ForRows(Offset, Local.Size, GlobalRows) : null;

    /// <summary>Releases the local rows.</summary>
    public void Dispose() => Local?.Dispose();
}
