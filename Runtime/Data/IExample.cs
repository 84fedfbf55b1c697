using System;

namespace Composer.Data;

/// <summary>
/// One training or evaluation example of some model kind, before batching. Each kind knows how a
/// list of its examples becomes a padded <see cref="Batch"/>.
/// </summary>
/// <typeparam name="TSelf">The example type itself.</typeparam>
public interface IExample<TSelf> where TSelf : IExample<TSelf>
{
    /// <summary>
    /// The length of the example's longest sequence as batched (input, or decoder input/target): a
    /// batch of B examples costs B × the longest <see cref="Length"/> tokens against the token budget,
    /// and it must not exceed the model's maximum length.
    /// </summary>
    int Length { get; }

    /// <summary>Pads <paramref name="examples"/> to a common length and builds the batch's tensors (owned by the batch).</summary>
    static abstract Batch Collate(ReadOnlySpan<TSelf> examples);
}
