using System;
using static TorchSharp.torch;

namespace Composer.Models;

/// <summary>
/// A model's incremental decoding state: every layer's mixer state plus the position reached.
/// Generated models define a typed state class implementing this.
/// </summary>
public interface IDecodingState : IDisposable
{
    /// <summary>How many positions have been decoded so far.</summary>
    long Position { get; }

    /// <summary>Reorders the batch for beam search: sequence i becomes old sequence <c>indices[i]</c>.</summary>
    void Reorder(Tensor indices);
}
