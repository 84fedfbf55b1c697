using Composer.Data;
using Composer.Models;
using static TorchSharp.torch;

namespace Composer.Training;

/// <summary>Sequence classification: class logits (B, C) against one label per sequence.</summary>
internal sealed class ClassifierObjective(IClassifier model) : Objective
{
    protected override Tensor Logits(Batch batch) => model.forward(batch.Input, batch.InputPadding);
}
