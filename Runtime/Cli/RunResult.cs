using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Composer.Cli;

/// <summary>What a finished training run reports (written to <c>result.json</c> in its run folder; <c>compare</c> reads it).</summary>
public sealed record RunResult
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }
    /// <summary>Trainable parameters.</summary>
    public required long Parameters { get; init; }
    /// <summary>Task or data file.</summary>
    public required string Data { get; init; }
    /// <summary>Updates done.</summary>
    public required long Steps { get; init; }
    /// <summary>Tokens the model read in training (input positions that are not padding; see <see cref="Training.StepReport"/>).</summary>
    public required long Tokens { get; init; }
    /// <summary>Training targets scored (predicted tokens, or sequences for classifiers).</summary>
    public long Targets { get; init; }
    /// <summary>Validation loss at the end (per target).</summary>
    public double? ValidationLoss { get; init; }
    /// <summary>Validation accuracy at the end.</summary>
    public double? ValidationAccuracy { get; init; }
    /// <summary>Lowest validation loss seen.</summary>
    public double? BestValidationLoss { get; init; }
    /// <summary>Training throughput: tokens read per second (evaluation and checkpoints excluded).</summary>
    public required double TokensPerSecond { get; init; }
    /// <summary>Targets scored per second of training.</summary>
    public double TargetsPerSecond { get; init; }
    /// <summary>Peak resident memory of the process, bytes.</summary>
    public required long PeakMemoryBytes { get; init; }
    /// <summary>Wall-clock seconds of the training loop.</summary>
    public required double Seconds { get; init; }
    /// <summary>Contrastive accuracy per distance (agreement task only), with the best checkpoint.</summary>
    public IReadOnlyList<DistanceAccuracy>? Contrastive { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The file name inside a run folder.</summary>
    public const string FileName = "result.json";

    /// <summary>Writes the result into <paramref name="runFolder"/>.</summary>
    public void Save(string runFolder) => File.WriteAllText(Path.Combine(runFolder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a result written by <see cref="Save"/>.</summary>
    public static RunResult Load(string runFolder) =>
        JsonSerializer.Deserialize<RunResult>(File.ReadAllText(Path.Combine(runFolder, FileName)), Json)
        ?? throw new InvalidDataException($"{Path.Combine(runFolder, FileName)} is empty");
}

/// <summary>Contrastive accuracy at one subject–verb distance.</summary>
/// <param name="Distance">Tokens between subject and verb.</param>
/// <param name="Accuracy">Fraction judged correctly.</param>
/// <param name="Low">Wilson 95% interval, low end.</param>
/// <param name="High">Wilson 95% interval, high end.</param>
/// <param name="Items">Items at this distance.</param>
public sealed record DistanceAccuracy(int Distance, double Accuracy, double Low, double High, long Items);
