using Composer.Data;
using Composer.Tensors;

namespace Composer.Training;

/// <summary>One batch's contribution to the loss.</summary>
/// <param name="Loss">Summed cross-entropy over the non-ignored targets (a scalar that requires grad when autograd is on).</param>
/// <param name="Correct">How many of those targets the model's top class matches (a scalar count).</param>
/// <param name="Targets">How many targets were scored (<see cref="Batch.TargetTokens"/>).</param>
public readonly record struct ObjectiveTerms(Tensor Loss, Tensor Correct, long Targets);
