using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Composer.Checkpoints;

namespace Composer.Training;

/// <summary>
/// Writes a run's progress to <c>metrics.jsonl</c> in the run folder: one JSON object per line, with an
/// <c>event</c> of <c>start</c>, <c>step</c>, <c>eval</c>, <c>checkpoint</c>, <c>end</c> or <c>diverged</c>
/// and a <c>step</c>. Each line is flushed as it is written, so a killed run loses at most the line
/// being written. A resumed run first drops the lines after the step it resumes from, so the log reads
/// as if the run had never been interrupted. Non-finite numbers are written as the strings "NaN",
/// "Infinity" and "-Infinity" (JSON has no literal for them).
/// </summary>
public sealed class MetricsLog : ITrainingObserver, IDisposable
{
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;

    /// <summary>Opens the log for a run that continues after <paramref name="step"/> (0: a fresh run, which starts an empty log).</summary>
    public MetricsLog(string path, long step)
    {
        if (step > 0 && File.Exists(path)) KeepUpTo(path, step);
        _stream = new FileStream(path, step > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
        _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <inheritdoc />
    public void OnStart(TrainingStart start) => Line("start", start.Step, w =>
    {
        w.WriteString("model", start.Model);
        w.WriteNumber("parameters", start.ParameterCount);
        w.WriteString("device", start.Device);
        w.WriteNumber("max_steps", start.MaxSteps);
        if (start.ResumedFrom is null) w.WriteNull("resumed_from"); else w.WriteString("resumed_from", start.ResumedFrom);
        w.WriteString("time", DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture));
    });

    /// <inheritdoc />
    public void OnStep(StepReport step) => Line("step", step.Step, w =>
    {
        Number(w, "loss", step.Loss);
        Number(w, "lr", step.LearningRate);
        Number(w, "grad_norm", step.GradientNorm);
        w.WriteNumber("tokens", step.Tokens);
        w.WriteNumber("total_tokens", step.TotalTokens);
        Number(w, "tokens_per_second", step.TokensPerSecond);
        w.WriteNumber("targets", step.Targets);
        w.WriteNumber("total_targets", step.TotalTargets);
        Number(w, "targets_per_second", step.TargetsPerSecond);
        Number(w, "elapsed", step.Elapsed.TotalSeconds);
        if (step.AllReduceTime is { } allReduce) Number(w, "allreduce_seconds", allReduce.TotalSeconds);
    });

    /// <inheritdoc />
    public void OnEvaluation(EvaluationReport evaluation) => Line("eval", evaluation.Step, w =>
    {
        Number(w, "loss", evaluation.Result.Loss);
        Number(w, "accuracy", evaluation.Result.Accuracy);
        Number(w, "perplexity", evaluation.Result.Perplexity);
        w.WriteNumber("targets", evaluation.Result.Targets);
        w.WriteBoolean("best", evaluation.IsBest);
        Number(w, "best_loss", evaluation.BestLoss);
        w.WriteNumber("best_step", evaluation.BestStep);
    });

    /// <inheritdoc />
    public void OnCheckpoint(CheckpointReport checkpoint) => Line("checkpoint", checkpoint.Step, w =>
    {
        w.WriteString("path", checkpoint.Path);
        w.WriteBoolean("best", checkpoint.IsBest);
    });

    /// <inheritdoc />
    public void OnEnd(TrainingResult result) => Line("end", result.Step, w =>
    {
        w.WriteString("reason", result.Reason == StopReason.EarlyStopped ? "early_stopped" : "completed");
        w.WriteNumber("total_tokens", result.TotalTokens);
        w.WriteNumber("total_targets", result.TotalTargets);
        if (result.BestLoss is double best) Number(w, "best_loss", best);
        if (result.BestStep is long bestStep) w.WriteNumber("best_step", bestStep);
        Number(w, "tokens_per_second", result.TokensPerSecond);
        Number(w, "targets_per_second", result.TargetsPerSecond);
        Number(w, "elapsed", result.Elapsed.TotalSeconds);
    });

    /// <summary>Records that update <paramref name="step"/> diverged, with the message the trainer throws.</summary>
    internal void OnDiverged(long step, double loss, double gradientNorm, string message) => Line("diverged", step, w =>
    {
        Number(w, "loss", loss);
        Number(w, "grad_norm", gradientNorm);
        w.WriteString("message", message);
    });

    private void Line(string kind, long step, Action<Utf8JsonWriter> body)
    {
        _writer.WriteStartObject();
        _writer.WriteString("event", kind);
        _writer.WriteNumber("step", step);
        body(_writer);
        _writer.WriteEndObject();
        _writer.Flush();
        _writer.Reset();
        _stream.WriteByte((byte)'\n');
        _stream.Flush();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    // Lines after the resumed step belong to updates that are about to be redone.
    private static void KeepUpTo(string path, long step)
    {
        var kept = new List<string>();
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            if (line.Length == 0) continue;
            try
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.TryGetProperty("step", out var s) && s.TryGetInt64(out long lineStep) && lineStep <= step) kept.Add(line);
            }
            catch (JsonException)
            {
                // A line cut short by a kill: it belongs to an update after the checkpoint anyway.
            }
        }
        AtomicFile.Write(path, stream =>
        {
            foreach (var line in kept)
            {
                stream.Write(Encoding.UTF8.GetBytes(line));
                stream.WriteByte((byte)'\n');
            }
        });
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
