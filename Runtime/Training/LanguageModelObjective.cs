using Composer.Data;
using Composer.Models;
using static TorchSharp.torch;

namespace Composer.Training;

/// <summary>Next-token prediction: logits (B, T, V) at every position against the following tokens.</summary>
internal sealed class LanguageModelObjective(ILanguageModel model) : Objective
{
    protected override Tensor Logits(Batch batch) => model.forward(batch.Input, batch.InputPadding);
}
