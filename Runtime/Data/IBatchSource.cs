using System;

namespace Composer.Data;

/// <summary>
/// An endless, deterministic, resumable stream of training batches: the same seed gives the same
/// batches, and <see cref="Seek"/> to a saved <see cref="Position"/> continues exactly where the
/// stream was (what makes an interrupted run resume as if never interrupted).
/// </summary>
public interface IBatchSource : IDisposable
{
    /// <summary>The position of the next batch (saved in checkpoints).</summary>
    DataPosition Position { get; }

    /// <summary>Moves to a saved position.</summary>
    void Seek(DataPosition position);

    /// <summary>The next batch (the caller disposes it); passes epoch boundaries by itself, reshuffling per epoch.</summary>
    Batch Next();
}

/// <summary>Where a batch stream is: epoch and batch index within it.</summary>
/// <param name="Epoch">Completed passes over the data.</param>
/// <param name="Batch">Index of the next batch within the epoch.</param>
public readonly record struct DataPosition(long Epoch, long Batch);
