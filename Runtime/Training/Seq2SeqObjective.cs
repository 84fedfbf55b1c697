using System;
using Composer.Data;
using Composer.Models;
using static TorchSharp.torch;

namespace Composer.Training;

/// <summary>Teacher-forced translation: the decoder's logits (B, T, V) over the encoded source against the target tokens.</summary>
internal sealed class Seq2SeqObjective(ISeq2SeqModel model) : Objective
{
    protected override Tensor Logits(Batch batch)
    {
        var decoderInput = batch.DecoderInput
            ?? throw new ArgumentException("a seq2seq batch needs DecoderInput (BOS + the target shifted right); this batch has none", nameof(batch));
        var memory = model.Encode(batch.Input, batch.InputPadding);
        return model.Decode(decoderInput, batch.DecoderPadding, memory, batch.InputPadding);
    }
}
