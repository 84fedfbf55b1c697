namespace Composer.Training;

/// <summary>What a training run starts with.</summary>
/// <param name="Model">The model's declared name.</param>
/// <param name="ParameterCount">Trainable scalars.</param>
/// <param name="Device">Where training runs, e.g. "cpu" or "cuda:0".</param>
/// <param name="RunFolder">The run folder's full path.</param>
/// <param name="Step">Updates already done (0, or the step of the checkpoint resumed from).</param>
/// <param name="MaxSteps">The step training stops at.</param>
/// <param name="ResumedFrom">The checkpoint folder resumed from, or null for a fresh run.</param>
public sealed record TrainingStart(string Model, long ParameterCount, string Device, string RunFolder, long Step, long MaxSteps, string? ResumedFrom);
