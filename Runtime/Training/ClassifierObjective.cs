using Composer.Data;
using Composer.Models;
using Composer.Tensors;

namespace Composer.Training;

/// <summary>Sequence classification: class logits (B, C) against one label per sequence.</summary>
internal sealed class ClassifierObjective(IClassifier model) : Objective
{
    protected override Tensor Logits(Batch batch) => model.Forward(batch.Input, batch.InputPadding);
}
