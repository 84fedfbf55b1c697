using System;
using Composer.Models;
using Composer.Tensors;

namespace Composer.Generation;

/// <summary>
/// One model's incremental decoding, whatever its kind: a state and a step that turns one token per
/// sequence (B, 1) into next-token logits (B, V). Language models and seq2seq decoders both fit.
/// </summary>
internal sealed class Decoder : IDisposable
{
    private readonly Func<Tensor, IDecodingState, Tensor> _step;

    public IDecodingState State { get; }

    private Decoder(IDecodingState state, Func<Tensor, IDecodingState, Tensor> step)
    {
        State = state;
        _step = step;
    }

    public static Decoder For(ILanguageModel model, long batchSize) => new(model.NewState(batchSize), model.Step);

    public static Decoder For(ISeq2SeqModel model, Tensor memory, Tensor? sourcePadding) => new(model.NewState(memory, sourcePadding), model.Step);

    /// <summary>Feeds <paramref name="tokens"/> (one per sequence) and returns the next-token logits (B, V).</summary>
    public Tensor Step(ReadOnlySpan<long> tokens)
    {
        var input = Torch.From(tokens, [tokens.Length, 1]);
        var logits = _step(input, State);          // (B, 1, V)
        return logits.Select(1, 0);                 // (B, V)
    }

    public void Dispose() => State.Dispose();
}
