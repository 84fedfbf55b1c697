using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Composer.Checkpoints;
using Composer.Data;
using Composer.Data.Tasks;
using Composer.Models;
using Composer.Tests.Harness;
using Composer.Training;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>The training loop end to end on the tiny model and the synthetic task.</summary>
public class TrainerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    internal static TrainerOptions Options(string runFolder, long maxSteps, long evalInterval = 10) => new()
    {
        RunFolder = runFolder,
        MaxSteps = maxSteps,
        Schedule = new CosineSchedule(1e-2, 10, Math.Max(maxSteps, 11), 1e-4),
        EvalInterval = evalInterval,
        Beta2 = 0.99,
    };

    [Fact]
    public void AHundredStepsBringTheValidationLossBelowATenthOfTheStart()
    {
        manual_seed(1);
        using var model = new TinyLanguageModel(dropout: 0.1);
        using var data = new SyntheticBatches(seed: 1);
        var validation = new FixedEvaluationSet();
        double initial = Objective.For(model).Evaluate(model, validation, CPU).Loss;
        var observer = new RecordingObserver();
        using var trainer = new Trainer(model, data, validation, Options(_folder.Path, 100, 25), observer);
        var result = trainer.Run();

        output.WriteLine($"validation loss {initial:F4} → {result.LastEvaluation!.Loss:F4}, accuracy {result.LastEvaluation.Accuracy:P1}, {result.TokensPerSecond:F0} tokens/s");
        Assert.Equal(StopReason.Completed, result.Reason);
        Assert.Equal(100, result.Step);
        Assert.True(result.LastEvaluation.Loss < 0.1 * initial, $"validation loss {initial} → {result.LastEvaluation.Loss}");
        Assert.True(result.LastEvaluation.Accuracy > 0.95);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), observer.Steps.Select(s => s.Step));
        Assert.Equal([25L, 50, 75, 100], observer.Evaluations.Select(e => e.Step));
        Assert.Equal([25L, 50, 75, 100], observer.Checkpoints.Select(c => c.Step));
        Assert.Equal(observer.Steps.Sum(s => s.Tokens), result.TotalTokens);
        Assert.True(model.TrainingForwards == 100 && model.training, "every update runs in training mode (dropout on)");
        Assert.Equal(result, observer.End);
    }

    [Fact]
    public void TokensPerSecondCountsEveryTokenTheModelReadsAndTargetsPerSecondTheScoredOnes()
    {
        // The definition, pinned on a known batch: the agreement task at 2,048 tokens per batch, where
        // a sentence of a few dozen tokens has one scored position (its verb).
        using var data = BuiltInTasks.Create("agreement", ModelKind.LanguageModel, new DataOptions { TokensPerBatch = 2048 },
            new TaskOptions { TrainExamples = 300, ValidationExamples = 10, TestExamplesPerDistance = 1 });
        using var batch = data.Train.Next();
        long rows = batch.Size;
        long read = batch.Input.data<long>().ToArray().LongCount(id => id != SpecialTokens.Pad);
        Assert.Equal(read, batch.InputTokens);
        Assert.Equal(rows, batch.TargetTokens);
        Assert.True(read > 10 * rows, $"{read} tokens read for {rows} targets");
        output.WriteLine($"an agreement batch of {batch.Input.numel()} positions: {read} tokens read, {rows} targets");

        manual_seed(12);
        using var model = new TinyLanguageModel(vocabulary: 256);
        using var source = new ListBatchSource([batch]);
        var observer = new RecordingObserver();
        using var trainer = new Trainer(model, source, null, Options(_folder.Path, 3, 3), observer);
        var result = trainer.Run();

        Assert.All(observer.Steps, s => Assert.Equal((read, rows), (s.Tokens, s.Targets)));
        Assert.Equal((3 * read, 3 * rows), (result.TotalTokens, result.TotalTargets));
        // One clock times both, so their ratio is exactly tokens per target.
        Assert.Equal((double)read / rows, result.TokensPerSecond / result.TargetsPerSecond, 9);
        var step = File.ReadLines(_folder.Combine("metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).Last(l => l.GetProperty("event").GetString() == "step");
        Assert.Equal(read, step.GetProperty("tokens").GetInt64());
        Assert.Equal(rows, step.GetProperty("targets").GetInt64());
        Assert.Equal(3 * read, step.GetProperty("total_tokens").GetInt64());
        Assert.Equal((double)read / rows, step.GetProperty("tokens_per_second").GetDouble() / step.GetProperty("targets_per_second").GetDouble(), 9);
    }

    [Fact]
    public void TheLearningRateOfEachUpdateComesFromTheSchedule()
    {
        manual_seed(2);
        using var model = new TinyLanguageModel();
        using var data = new SyntheticBatches(seed: 2);
        var observer = new RecordingObserver();
        var schedule = new InverseSqrtSchedule(1e-3, 4);
        using var trainer = new Trainer(model, data, null, Options(_folder.Path, 12) with { Schedule = schedule }, observer);
        trainer.Run();
        Assert.Equal(Enumerable.Range(1, 12).Select(s => schedule.At(s)), observer.Steps.Select(s => s.LearningRate));
    }

    [Fact]
    public void GradientAccumulationEqualsOneUpdateOnTheConcatenatedBatch()
    {
        // Two micro-batches with different numbers of targets (padding differs) against one batch
        // holding both: the per-target mean must weigh every target alike, whichever micro-batch it is in.
        var halves = new[] { SyntheticBatches.Make(7, 0, 0, 16, 3, 8), SyntheticBatches.Make(7, 0, 1, 16, 5, 8) };
        Assert.NotEqual(halves[0].TargetTokens * 5, halves[1].TargetTokens * 3);
        using var whole = new Batch(
            cat([halves[0].Input, halves[1].Input]).DetachFromDisposeScope(), cat([halves[0].InputPadding!, halves[1].InputPadding!]).DetachFromDisposeScope(),
            cat([halves[0].Target, halves[1].Target]).DetachFromDisposeScope(), null, null,
            halves[0].TargetTokens + halves[1].TargetTokens, halves[0].InputTokens + halves[1].InputTokens);

        // Adam's first step is nearly sign(g) where |g| ≫ eps, which hides the gradient's size and
        // amplifies rounding where |g| ≈ eps; with eps = 1 and lr = 1 the step is g / (|g| + 1), a
        // smooth function of the gradient, so comparing steps compares the accumulated gradients.
        float[] Step(int accumulation, Batch[] batches, string folder, out double loss)
        {
            manual_seed(11);
            using var model = new TinyLanguageModel();
            var before = model.FlatParameters();
            using var data = new ListBatchSource(batches);
            var observer = new RecordingObserver();
            var options = Options(folder, 1) with { AccumulationSteps = accumulation, Schedule = new ConstantSchedule(1.0), Eps = 1.0, WeightDecay = 0, ClipNorm = 0 };
            using var trainer = new Trainer(model, data, null, options, observer);
            trainer.Run();
            loss = observer.Steps.Single().Loss;
            return model.FlatParameters().Zip(before, (after, b) => after - b).ToArray();
        }

        var accumulated = Step(2, halves, _folder.Combine("accumulated"), out double accumulatedLoss);
        var single = Step(1, [whole], _folder.Combine("single"), out double singleLoss);
        foreach (var h in halves) h.Dispose();

        Assert.True(Math.Abs(singleLoss - accumulatedLoss) <= 1e-6 * singleLoss, $"loss {singleLoss:R} in one batch, {accumulatedLoss:R} accumulated");
        double error = accumulated.Zip(single).Max(p => Math.Abs(p.First - p.Second));
        double scale = single.Max(Math.Abs);
        Assert.True(error <= 1e-5 * scale, $"updates differ by up to {error} (largest update {scale})");
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceEvaluationsWithoutImprovement()
    {
        manual_seed(4);
        using var model = new TinyLanguageModel();
        using var data = new SyntheticBatches(seed: 4);
        var observer = new RecordingObserver();
        // A rate far below float32's resolution: the weights never change, so neither does the loss.
        var options = Options(_folder.Path, 100, 5) with { Schedule = new ConstantSchedule(1e-30), Patience = 3 };
        using var trainer = new Trainer(model, data, new FixedEvaluationSet(), options, observer);
        var result = trainer.Run();

        Assert.Equal(StopReason.EarlyStopped, result.Reason);
        Assert.Equal(20, result.Step);
        Assert.Equal(5, result.BestStep);
        Assert.Equal([0, 1, 2, 3], observer.Evaluations.Select(e => e.EvaluationsWithoutImprovement));
        Assert.Equal([true, false, false, false], observer.Evaluations.Select(e => e.IsBest));

        // Resuming a run that ran out of patience does not train on.
        var again = new RecordingObserver();
        using var resumed = new Trainer(model, data, new FixedEvaluationSet(), options with { Resume = true }, again);
        Assert.Equal(StopReason.EarlyStopped, resumed.Run().Reason);
        Assert.Empty(again.Steps);
    }

    [Fact]
    public void KeepsTheLastCheckpointsAndTheBestOne()
    {
        manual_seed(5);
        using var model = new TinyLanguageModel();
        using var data = new SyntheticBatches(seed: 5);
        var options = Options(_folder.Path, 8, 1) with { Schedule = new ConstantSchedule(1e-30), KeepLast = 2 };
        using var trainer = new Trainer(model, data, new FixedEvaluationSet(), options);
        trainer.Run();

        var run = new RunFolder(_folder.Path);
        Assert.Equal([1L, 7, 8], run.Checkpoints().Select(c => c.Step));
        Assert.Equal(1, run.Best()!.State.Step);
        Assert.Equal(8, run.Last()!.State.Step);
        Assert.Equal("checkpoint-8", File.ReadAllText(_folder.Combine("last")).Trim());
    }

    [Fact]
    public void AFreshRunRefusesAFolderHoldingAnEarlierRun()
    {
        manual_seed(6);
        using (var model = new TinyLanguageModel())
        using (var data = new SyntheticBatches(seed: 6))
        using (var trainer = new Trainer(model, data, null, Options(_folder.Path, 2, 1)))
            trainer.Run();

        using var again = new TinyLanguageModel();
        using var moreData = new SyntheticBatches(seed: 6);
        using var second = new Trainer(again, moreData, null, Options(_folder.Path, 4, 1));
        var error = Assert.Throws<InvalidOperationException>(() => second.Run());
        Assert.Contains("already holds checkpoints", error.Message);
        Assert.Contains("--resume", error.Message);
    }

    [Fact]
    public void TwoTrainersCannotWriteTheSameRunFolder()
    {
        using var held = new RunFolder(_folder.Path).Lock();
        using var model = new TinyLanguageModel();
        using var data = new SyntheticBatches(seed: 0);
        using var trainer = new Trainer(model, data, null, Options(_folder.Path, 2, 1));
        var error = Assert.Throws<IOException>(() => trainer.Run());
        Assert.Contains("another process is training in", error.Message);
    }

    [Fact]
    public void ReadingARunFolderLeavesAWriteInProgressAlone()
    {
        manual_seed(10);
        using (var model = new TinyLanguageModel())
        using (var data = new SyntheticBatches(seed: 10))
        using (var trainer = new Trainer(model, data, null, Options(_folder.Path, 1, 1)))
            trainer.Run();
        string inProgress = Directory.CreateDirectory(_folder.Combine(".checkpoint-2.0123.tmp")).FullName;
        Assert.Equal(1, RunFolder.Resolve(_folder.Path).State.Step);
        Assert.True(Directory.Exists(inProgress), "a reader must not remove another process's temporary folder");
        using (new RunFolder(_folder.Path).Lock()) Assert.False(Directory.Exists(inProgress), "the next writer removes it");
    }

    [Fact]
    public void OptionsOutOfRangeAreRefusedWithTheirName()
    {
        using var model = new TinyLanguageModel();
        using var data = new SyntheticBatches(seed: 0);
        Assert.Contains("MaxSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, data, null, Options(_folder.Path, 0))).Message);
        Assert.Contains("AccumulationSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, data, null, Options(_folder.Path, 5) with { AccumulationSteps = 0 })).Message);
        Assert.Contains("validation set", Assert.Throws<ArgumentException>(() => new Trainer(model, data, null, Options(_folder.Path, 5) with { Patience = 2 })).Message);
    }

    [Fact]
    public void MetricsLogHasOneLinePerStepEvaluationAndCheckpoint()
    {
        manual_seed(8);
        using var model = new TinyLanguageModel();
        using var data = new SyntheticBatches(seed: 8);
        using var trainer = new Trainer(model, data, new FixedEvaluationSet(), Options(_folder.Path, 6, 3));
        trainer.Run();

        var lines = File.ReadAllLines(_folder.Combine("metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["start", "step", "step", "step", "eval", "checkpoint", "step", "step", "step", "eval", "checkpoint", "end"],
            lines.Select(l => l.GetProperty("event").GetString()));
        var step = lines[1];
        Assert.Equal(1, step.GetProperty("step").GetInt64());
        foreach (var key in new[] { "loss", "lr", "grad_norm", "tokens", "total_tokens", "tokens_per_second", "targets", "total_targets", "targets_per_second", "elapsed" })
            Assert.True(step.TryGetProperty(key, out _), $"step lines have '{key}'");
        foreach (var key in new[] { "loss", "accuracy", "perplexity", "best", "best_loss", "best_step" })
            Assert.True(lines[4].TryGetProperty(key, out _), $"eval lines have '{key}'");
        Assert.Equal("completed", lines[^1].GetProperty("reason").GetString());
        foreach (var key in new[] { "total_tokens", "total_targets", "tokens_per_second", "targets_per_second" })
            Assert.True(lines[^1].TryGetProperty(key, out _), $"end lines have '{key}'");
    }

    [Fact]
    public void LiveTensorCountStaysConstantAcross500TrainingSteps()
    {
        manual_seed(9);
        using var model = new TinyLanguageModel(dropout: 0.1);
        using var data = new SyntheticBatches(seed: 9);
        long beforeTrainer = LiveTensors.Settled();
        var observer = new RecordingObserver();
        long[] counts = new long[500];
        observer.AfterStep = s => counts[s.Step - 1] = LiveTensors.Count;
        using (var trainer = new Trainer(model, data, new FixedEvaluationSet(), Options(_folder.Path, 500, 100) with { AccumulationSteps = 2 }, observer))
        {
            long withOptimizer = LiveTensors.Settled();
            trainer.Run();
            var distinct = counts.Distinct().ToArray();
            Assert.True(distinct.Length == 1 && distinct[0] == withOptimizer,
                $"live tensors after each step should stay {withOptimizer} (parameters and moments); saw {string.Join(", ", distinct)}");
            Assert.Equal(withOptimizer, LiveTensors.Settled());
        }
        Assert.Equal(beforeTrainer, LiveTensors.Settled());
    }
}
