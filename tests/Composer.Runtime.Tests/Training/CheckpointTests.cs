using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Composer.Checkpoints;
using Composer.Data;
using Composer.Tests.Checkpoints;
using Composer.Tests.Harness;
using Composer.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>Run-folder checkpoints: exact resumption, divergence, architecture mismatches, the files themselves.</summary>
public class CheckpointTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private sealed class SimulatedCrash : Exception;

    private sealed record Run(List<StepReport> Steps, List<EvaluationReport> Evaluations, float[] Parameters);

    /// <summary>Trains the standard small run (dropout on, so the random state matters) in <paramref name="folder"/>.</summary>
    private static Run Train(string folder, long maxSteps, bool resume, int seed = 21, long? crashAfter = null)
    {
        manual_seed(seed);
        using var model = new TinyLanguageModel(dropout: 0.2);
        using var data = new SyntheticBatches(seed: 21);
        var observer = new RecordingObserver();
        if (crashAfter is long crash) observer.AfterStep = s => { if (s.Step == crash) throw new SimulatedCrash(); };
        var options = TrainerTests.Options(folder, maxSteps) with { Schedule = new CosineSchedule(1e-2, 5, 40, 1e-4), Resume = resume, EvalInterval = 10 };
        using var trainer = new Trainer(model, data, new FixedEvaluationSet(), options, observer);
        try { trainer.Run(); }
        catch (SimulatedCrash) { }
        return new Run(observer.Steps, observer.Evaluations, model.FlatParameters());
    }

    [Fact]
    public void AnInterruptedAndResumedRunHasExactlyTheLossesOfAnUninterruptedOne()
    {
        var whole = Train(_folder.Combine("whole"), 40, resume: false);

        string split = _folder.Combine("split");
        var first = Train(split, 40, resume: false, crashAfter: 25);   // dies 5 updates after checkpoint-20
        var second = Train(split, 40, resume: true, seed: 12345);      // another seed: everything must come from the checkpoint

        Assert.Equal(25, first.Steps.Count);
        Assert.Equal(Enumerable.Range(21, 20).Select(i => (long)i), second.Steps.Select(s => s.Step));
        for (int i = 0; i < 20; i++)
        {
            var expected = whole.Steps[20 + i];
            var actual = second.Steps[i];
            Assert.True(expected.Loss == actual.Loss && expected.GradientNorm == actual.GradientNorm && expected.LearningRate == actual.LearningRate,
                $"update {expected.Step}: uninterrupted loss {expected.Loss:R} (norm {expected.GradientNorm:R}), resumed {actual.Loss:R} (norm {actual.GradientNorm:R})");
            Assert.Equal(expected.TotalTokens, actual.TotalTokens);
        }
        Assert.Equal(whole.Evaluations.Skip(2).Select(e => e.Result), second.Evaluations.Select(e => e.Result));
        Assert.Equal(whole.Parameters, second.Parameters);

        // The log reads as if the run had never stopped: each update once, with the same numbers.
        static List<string> StepLines(string folder) => File.ReadLines(Path.Combine(folder, "metrics.jsonl"))
            .Where(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString() == "step")
            .Select(l => { var e = JsonDocument.Parse(l).RootElement; return $"{e.GetProperty("step")} {e.GetProperty("loss")} {e.GetProperty("lr")} {e.GetProperty("grad_norm")}"; })
            .ToList();
        Assert.Equal(StepLines(_folder.Combine("whole")), StepLines(split));
    }

    [Fact]
    public void ResumeWithoutACheckpointStartsAFreshRun()
    {
        var run = Train(_folder.Path, 3, resume: true);
        Assert.Equal([1L, 2, 3], run.Steps.Select(s => s.Step));
    }

    [Fact]
    public void ANaNLossStopsTrainingWithAClearMessageAndLeavesTheLastGoodCheckpointUntouched()
    {
        manual_seed(31);
        using var model = new TinyLanguageModel();
        using var data = new SyntheticBatches(seed: 31);
        var observer = new RecordingObserver();
        var saved = new Dictionary<string, byte[]>();
        observer.AfterStep = s => { if (s.Step == 12) model.Poisoned = true; };
        observer.AfterCheckpoint = c =>
        {
            if (c.Step == 10) foreach (var file in Directory.GetFiles(c.Path)) saved[file] = File.ReadAllBytes(file);
        };
        using var trainer = new Trainer(model, data, new FixedEvaluationSet(), TrainerTests.Options(_folder.Path, 50, 5), observer);
        long live = LiveTensors.Settled();

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Equal(live, LiveTensors.Settled()); // the failed update released everything it made

        Assert.StartsWith("training stopped at update 13: the loss is NaN", error.Message);
        Assert.Contains($"'{_folder.Combine("checkpoint-10")}', is untouched", error.Message);
        Assert.Equal(13, error.Step);
        Assert.True(double.IsNaN(error.Loss));
        Assert.Equal(_folder.Combine("checkpoint-10"), error.LastCheckpoint);
        Assert.Equal(3, saved.Count);
        foreach (var (file, bytes) in saved) Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal("checkpoint-10", File.ReadAllText(_folder.Combine("last")).Trim());
        Assert.False(Directory.Exists(_folder.Combine("checkpoint-15")));
        Assert.True(model.FlatParameters().All(float.IsFinite), "the diverged update must not reach the weights");
        var lastLine = JsonDocument.Parse(File.ReadLines(_folder.Combine("metrics.jsonl")).Last()).RootElement;
        Assert.Equal("diverged", lastLine.GetProperty("event").GetString());
        Assert.Equal("NaN", lastLine.GetProperty("loss").GetString());

        // The good checkpoint resumes (with a healthy model).
        model.Poisoned = false;
        using var resumed = new Trainer(model, data, new FixedEvaluationSet(), TrainerTests.Options(_folder.Path, 15, 5) with { Resume = true });
        Assert.Equal(15, resumed.Run().Step);
    }

    [Fact]
    public void LoadingIntoADifferentArchitectureIsRefusedWithEveryDifference()
    {
        manual_seed(41);
        using (var model = new TinyLanguageModel())
        using (var data = new SyntheticBatches(seed: 41))
        using (var trainer = new Trainer(model, data, null, TrainerTests.Options(_folder.Path, 2, 2)))
            trainer.Run();
        var checkpoint = new RunFolder(_folder.Path).Last()!;

        using var other = new TinyLanguageModel(width: 24, hidden: 0, extra: true);
        var before = other.FlatParameters();
        var error = Assert.Throws<CheckpointMismatchException>(() => checkpoint.LoadModel(other));

        Assert.Equal(["extra.bias", "extra.weight"], error.Missing);
        Assert.Equal(["hidden.bias", "hidden.weight"], error.Unexpected);
        Assert.Equal(["embed.weight: expected [16, 24], found [16, 16]", "output.weight: expected [16, 24], found [16, 32]"], error.Misshaped);
        Assert.Equal(["Width: 16 → 24", "Hidden: 32 → 0", "Extra: (absent) → true"], error.SettingDifferences);
        foreach (var part in new[] { "does not fit this model, so nothing was loaded", "missing 2: extra.bias, extra.weight", "unexpected 2: hidden.bias, hidden.weight", "mis-shaped 2", "Width: 16 → 24" })
            Assert.Contains(part, error.Message);
        Assert.Equal(before, other.FlatParameters()); // a refused checkpoint changes nothing

        // Resuming a run with the wrong model is refused the same way.
        using var data2 = new SyntheticBatches(seed: 41);
        using var wrong = new Trainer(other, data2, null, TrainerTests.Options(_folder.Path, 4, 2) with { Resume = true });
        Assert.Throws<CheckpointMismatchException>(() => wrong.Run());
    }

    [Fact]
    public void WeightsOfAnotherDtypeAreRefusedByName()
    {
        manual_seed(46);
        using (var model = new TinyLanguageModel())
        using (var data = new SyntheticBatches(seed: 46))
        using (var trainer = new Trainer(model, data, null, TrainerTests.Options(_folder.Path, 1, 1)))
            trainer.Run();
        // The same names and shapes, one tensor stored in double precision.
        string weights = _folder.Combine("checkpoint-1", Checkpoint.ModelFile);
        using (NewDisposeScope())
        {
            Dictionary<string, Tensor> tensors;
            IReadOnlyDictionary<string, string> metadata;
            using (var file = Safetensors.Load(weights))
            {
                tensors = file.GetAll();
                metadata = file.Metadata;
            }
            tensors["output.bias"] = tensors["output.bias"].to(ScalarType.Float64);
            Safetensors.Save(weights, tensors, metadata);
        }

        using var other = new TinyLanguageModel();
        var before = other.FlatParameters();
        var error = Assert.Throws<CheckpointMismatchException>(() => RunFolder.Resolve(_folder.Path).LoadModel(other));
        Assert.Equal(["output.bias: expected Float32, found Float64"], error.Mistyped);
        Assert.Empty(error.Missing);
        Assert.Empty(error.Unexpected);
        Assert.Empty(error.Misshaped);
        Assert.Contains("mis-typed 1: output.bias: expected Float32, found Float64", error.Message);
        Assert.Equal(before, other.FlatParameters());
    }

    [Fact]
    public void ADifferentFingerprintIsRefusedEvenWhenTheTensorsFit()
    {
        manual_seed(42);
        using (var model = new TinyLanguageModel())
        using (var data = new SyntheticBatches(seed: 42))
        using (var trainer = new Trainer(model, data, null, TrainerTests.Options(_folder.Path, 1, 1)))
            trainer.Run();

        using var other = new TinyLanguageModel(dropout: 0.5);
        var error = Assert.Throws<CheckpointMismatchException>(() => RunFolder.Resolve(_folder.Path).LoadModel(other));
        Assert.Equal(["Dropout: 0 → 0.5"], error.SettingDifferences);
        Assert.Empty(error.Missing);
        Assert.Contains("the tensors match, but the architecture fingerprints differ", error.Message);
    }

    [Fact]
    public void TheCheckpointHoldsWhatTheStateJsonPromises()
    {
        manual_seed(43);
        using var model = new TinyLanguageModel();
        using var data = new SyntheticBatches(seed: 43, batchesPerEpoch: 3);
        using (var trainer = new Trainer(model, data, new FixedEvaluationSet(), TrainerTests.Options(_folder.Path, 4, 4) with { Schedule = new InverseSqrtSchedule(1e-3, 2) }))
            trainer.Run();
        var checkpoint = RunFolder.Resolve(_folder.Path);
        var state = checkpoint.State;

        Assert.Equal(_folder.Combine("checkpoint-4"), checkpoint.Path);
        Assert.Equal(4, state.Step);
        Assert.Equal(4, state.Optimizer.Step);
        Assert.True(state.Targets > 0 && state.Tokens >= state.Targets, $"{state.Tokens} tokens, {state.Targets} targets");
        Assert.Equal("AdamW", state.Optimizer.Name);
        Assert.Equal(new DataPosition(1, 1), state.Data);
        Assert.Equal(new InverseSqrtSchedule(1e-3, 2).At(4), state.LearningRate);
        Assert.Equal("inverse-sqrt", state.Schedule["schedule"]);
        Assert.Equal(model.Description.Fingerprint, state.Model.Fingerprint);
        Assert.Equal("16", state.Model.Settings["Width"]);
        Assert.Equal("LanguageModel", state.Model.Kind);
        Assert.Equal(4, state.BestStep);
        Assert.Equal(Checkpoint.ComposerVersion, state.ComposerVersion);
        Assert.NotEmpty(Convert.FromBase64String(state.Rng.Cpu));

        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint.Path, "state.json"))).RootElement;
        foreach (var key in new[] { "format", "composer_version", "step", "tokens", "targets", "learning_rate", "schedule", "data", "rng", "best_loss", "best_step", "evaluations_without_improvement", "model", "optimizer" })
            Assert.True(json.TryGetProperty(key, out _), $"state.json has '{key}'");

        using var weights = Safetensors.Load(Path.Combine(checkpoint.Path, "model.safetensors"));
        Assert.Equal(model.state_dict().Keys.OrderBy(n => n, StringComparer.Ordinal), weights.Names.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal("pt", weights.Metadata["format"]);
        using var moments = Safetensors.Load(Path.Combine(checkpoint.Path, "optimizer.safetensors"));
        Assert.Contains("exp_avg.embed.weight", moments.Names);
        Assert.Contains("exp_avg_sq.output.bias", moments.Names);
    }

    [Fact]
    public void AStateJsonFromANewerComposerOrGarbageIsRefusedClearly()
    {
        manual_seed(44);
        using (var model = new TinyLanguageModel())
        using (var data = new SyntheticBatches(seed: 44))
        using (var trainer = new Trainer(model, data, null, TrainerTests.Options(_folder.Path, 1, 1)))
            trainer.Run();
        string state = _folder.Combine("checkpoint-1", "state.json");
        File.WriteAllText(state, File.ReadAllText(state).Replace("\"format\": 1", "\"format\": 99"));
        Assert.Contains("has format 99", Assert.Throws<InvalidDataException>(() => Checkpoint.Open(_folder.Combine("checkpoint-1"))).Message);
        File.WriteAllText(state, "{ not json");
        Assert.Contains("is not a valid training state", Assert.Throws<InvalidDataException>(() => Checkpoint.Open(_folder.Combine("checkpoint-1"))).Message);
        File.Delete(_folder.Combine("checkpoint-1", "optimizer.safetensors"));
        Assert.Contains("has no optimizer.safetensors", Assert.Throws<InvalidDataException>(() => Checkpoint.Open(_folder.Combine("checkpoint-1"))).Message);
        Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => RunFolder.Resolve(_folder.Combine("nowhere"))).Message);
    }

    [PythonWithNumpyFact]
    public void PythonReadsTheWeightsUnderTheSameDottedNames()
    {
        manual_seed(45);
        using var model = new TinyLanguageModel();
        using (var data = new SyntheticBatches(seed: 45))
        using (var trainer = new Trainer(model, data, null, TrainerTests.Options(_folder.Path, 1, 1)))
            trainer.Run();
        string reference = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "reference"));
        string script = "import sys, refio\narrays, meta = refio.read(sys.argv[1])\nfor k in sorted(arrays): print(k, list(arrays[k].shape), float(arrays[k].astype('float64').sum()))\n";
        var start = new ProcessStartInfo(PythonWithNumpyFactAttribute.Python, ["-c", script, _folder.Combine("checkpoint-1", "model.safetensors")])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = reference };
        using var python = Process.Start(start)!;
        string printed = python.StandardOutput.ReadToEnd();
        string errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, errors);

        var expected = model.state_dict().OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Count, lines.Length);
        foreach (var ((name, tensor), line) in expected.Zip(lines))
        {
            var parts = line.Split(' ', 2);
            Assert.Equal(name, parts[0]);
            Assert.StartsWith($"[{string.Join(", ", tensor.shape)}]", parts[1]);
            double sum = double.Parse(parts[1][(parts[1].IndexOf(']') + 2)..], System.Globalization.CultureInfo.InvariantCulture);
            using var scope = NewDisposeScope();
            var total = tensor.detach().to(ScalarType.Float64).sum();
            Assert.Equal(total.ToDouble(), sum, 9);
        }
    }
}
