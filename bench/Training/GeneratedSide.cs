using static TorchSharp.torch;

namespace Composer.Bench.Training;

/// <summary>Builds the generated side of a subject, when this build has it (Training.csproj's ComposerSide).</summary>
internal static class GeneratedSide
{
#if COMPOSER_SIDE
    public const bool Built = true;
#else
    // PORT IN PROGRESS: the generated models need the runtime's training, generation, data and
    // lightweight-convolution ports; until they are merged, the benchmark runs without this side.
    public const bool Built = false;
#endif

    /// <summary>The generated model of <paramref name="subject"/> with fresh weights, over the shared batch; null when not built.</summary>
    public static IGeneratedSide? Create(Subject subject, Tensor tokens)
    {
#if COMPOSER_SIDE
        nn.Module model = (subject.Model, subject.Size) switch
        {
            ("TransformerLm", "a") => new TransformerA(),
            ("LightConvLm", "a") => new LightConvA(),
            ("TransformerLm", "b") => new TransformerB(),
            ("LightConvLm", "b") => new LightConvB(),
            _ => throw new System.ArgumentException($"no generated model for {subject.Id}", nameof(subject)),
        };
        return new ComposerRun(model, tokens);
#else
        _ = subject;
        _ = tokens;
        return null;
#endif
    }
}
