using System;
using Composer.Models;
using static TorchSharp.torch;

namespace Composer.Generation;

/// <summary>
/// One model's incremental decoding, whatever its kind: a state and a step that turns one token per
/// sequence (B, 1) into next-token logits (B, V). Language models and seq2seq decoders both fit.
/// </summary>
internal sealed class Decoder : IDisposable
{
    private readonly Func<Tensor, IDecodingState, Tensor> _step;
    private readonly Device _device;

    public IDecodingState State { get; }

    private Decoder(IDecodingState state, Func<Tensor, IDecodingState, Tensor> step, Device device)
    {
        State = state;
        _step = step;
        _device = device;
    }

    public static Decoder For(ILanguageModel model, long batchSize) => new(model.NewState(batchSize), model.Step, Devices.Of(model));

    public static Decoder For(ISeq2SeqModel model, Tensor memory, Tensor? sourcePadding) => new(model.NewState(memory, sourcePadding), model.Step, memory.device);

    /// <summary>Feeds <paramref name="tokens"/> (one per sequence) and returns the next-token logits (B, V), in the current dispose scope.</summary>
    public Tensor Step(long[] tokens)
    {
        var input = tensor(tokens, [tokens.Length, 1], device: _device);
        var logits = _step(input, State);          // (B, 1, V)
        return logits.select(1, 0);                 // (B, V)
    }

    /// <summary>Moves host indices to the model's device, e.g. for <see cref="IDecodingState.Reorder"/>.</summary>
    public Tensor Indices(long[] indices) => tensor(indices, device: _device);

    public void Dispose() => State.Dispose();
}
