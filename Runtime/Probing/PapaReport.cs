using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Composer.Probing;

/// <summary>
/// What the PAPA probe found (written as <c>papa.json</c>): the order heads were replaced in and the
/// model's score with each fraction of them constant.
/// </summary>
public sealed record PapaReport
{
    /// <summary>The model's name.</summary>
    public required string Model { get; init; }
    /// <summary>Language model, seq2seq or classifier.</summary>
    public required string Kind { get; init; }
    /// <summary>The task or data file.</summary>
    public required string Data { get; init; }
    /// <summary>The checkpoint probed.</summary>
    public string? Checkpoint { get; init; }
    /// <summary>The replacement order used: <c>divergence</c>, <c>random</c> or <c>gate</c>.</summary>
    public required string Order { get; init; }
    /// <summary>The order in words.</summary>
    public required string OrderDescription { get; init; }
    /// <summary>How each fraction was scored: zero-shot, or probe mode with the head retrained.</summary>
    public required string Mode { get; init; }
    /// <summary>What <see cref="PapaFraction.Score"/> is.</summary>
    public required string ScoreName { get; init; }
    /// <summary>Attention heads in the model, all layers together.</summary>
    public required int TotalHeads { get; init; }
    /// <summary>The attention layers probed.</summary>
    public required IReadOnlyList<PapaLayer> Layers { get; init; }
    /// <summary>Training batches Ā was averaged over.</summary>
    public required long AverageBatches { get; init; }
    /// <summary>Training sequences Ā was averaged over.</summary>
    public required long AverageSequences { get; init; }
    /// <summary>Every head in the order of replacement, with the score that placed it.</summary>
    public required IReadOnlyList<PapaRankedHead> Ranking { get; init; }
    /// <summary>One entry per fraction of constant heads, from none to all.</summary>
    public required IReadOnlyList<PapaFraction> Fractions { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A baseline score of 0 makes the relative drop NaN; JSON has no NaN, so it becomes "NaN".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the report as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a report written by <see cref="Save"/>.</summary>
    public static PapaReport Load(string path) =>
        JsonSerializer.Deserialize<PapaReport>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} holds no PAPA report");
}

/// <summary>An attention layer of the probed model.</summary>
/// <param name="Name">Its dotted name.</param>
/// <param name="Heads">Its heads.</param>
/// <param name="Causal">Whether it is causal (its Ā is lower-triangular).</param>
public sealed record PapaLayer(string Name, int Heads, bool Causal);

/// <summary>A head in the replacement order.</summary>
/// <param name="Layer">The layer's dotted name.</param>
/// <param name="Head">The head.</param>
/// <param name="Score">Divergence, gate λ or random place: what put it here (lower first).</param>
public sealed record PapaRankedHead(string Layer, int Head, double Score);

/// <summary>The model with the first <see cref="ConstantHeads"/> heads of the ranking constant.</summary>
/// <param name="Fraction">The fraction asked for.</param>
/// <param name="ConstantHeads">round(fraction × total heads).</param>
/// <param name="ValidationLoss">Mean cross-entropy per target on the validation data.</param>
/// <param name="ValidationAccuracy">Top-1 accuracy on the validation data.</param>
/// <param name="Score">The task score (<see cref="PapaReport.ScoreName"/>).</param>
/// <param name="RelativeDrop">(score₀ − score) / score₀: 0.08 is the 8% drop of PAPA's abstract; negative when the score rose.</param>
/// <param name="LossChange">(loss − loss₀) / loss₀.</param>
/// <param name="Agreement">Contrastive agreement accuracy per subject–verb distance (agreement task only).</param>
/// <param name="Constant">The constant heads, "layer/head".</param>
public sealed record PapaFraction(double Fraction, int ConstantHeads, double ValidationLoss, double ValidationAccuracy, double Score,
    double RelativeDrop, double LossChange, IReadOnlyList<PapaDistance>? Agreement, IReadOnlyList<string> Constant);

/// <summary>Contrastive accuracy at one distance.</summary>
/// <param name="Distance">Subject–verb distance.</param>
/// <param name="Accuracy">Fraction of items judged correctly.</param>
/// <param name="Items">Items at this distance.</param>
public sealed record PapaDistance(int Distance, double Accuracy, long Items);
