using System;
using Composer.Training;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>
/// The child process of <see cref="KilledProcessTests"/>: resumes (or starts) a run and writes a
/// checkpoint after every update, forever, until it is killed. The model is wide enough that writing
/// its checkpoint takes far longer than the update, so a kill at a random moment usually lands in a write.
/// </summary>
internal static class CheckpointWriterChild
{
    public const string Command = "checkpoint-writer";

    public static TinyLanguageModel Model() => new(width: 256, hidden: 2048);

    public static TrainerOptions Options(string folder, long maxSteps) => new()
    {
        RunFolder = folder,
        MaxSteps = maxSteps,
        Schedule = new ConstantSchedule(1e-3),
        EvalInterval = 1,
        KeepLast = 2,
        Resume = true,
    };

    public static int Run(string folder)
    {
        manual_seed(51);
        using var model = Model();
        using var data = new SyntheticBatches(seed: 51);
        using var trainer = new Trainer(model, data, null, Options(folder, long.MaxValue));
        trainer.Run();
        return 0;
    }
}
