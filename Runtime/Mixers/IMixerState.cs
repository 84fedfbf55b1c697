using System;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// A mixer's decoding state between <c>Step</c> calls. It owns its tensors (detached from every dispose
/// scope, since they outlive the per-step scopes) and releases them on <see cref="IDisposable.Dispose"/>.
/// </summary>
public interface IMixerState : IDisposable
{
    /// <summary>
    /// Reorders the batch for beam search (fairseq's <c>reorder_incremental_state</c>): sequence i of the
    /// new state is sequence <c>indices[i]</c> of the old one. <paramref name="indices"/> is int64 (B').
    /// </summary>
    void Reorder(Tensor indices);
}
