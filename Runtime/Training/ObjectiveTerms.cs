using Composer.Data;
using static TorchSharp.torch;

namespace Composer.Training;

/// <summary>One batch's contribution to the loss.</summary>
/// <param name="Loss">Summed cross-entropy over the non-ignored targets (a scalar that requires grad when autograd is on).</param>
/// <param name="Targets">How many targets were scored (<see cref="Batch.TargetTokens"/>).</param>
public readonly record struct ObjectiveTerms(Tensor Loss, long Targets);
