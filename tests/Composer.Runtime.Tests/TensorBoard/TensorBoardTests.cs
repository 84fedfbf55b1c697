using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Composer.Cli;
using Composer.Models;
using Composer.Tests.Training;
using Composer.Training;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.TensorBoard;

/// <summary>The TensorBoard event files of a run, read back independently and held to metrics.jsonl and result.json.</summary>
public class TensorBoardTests
{
    private static readonly ModelEntry Tiny = new(new TinyLanguageModel(vocabulary: 256).Description, context => new TinyLanguageModel(vocabulary: 256, context: context));

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = TrainingProgram.Run(args, [Tiny], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string[] Train(string run, int steps, int evalEvery, params string[] more) =>
        ["train", "--task", "agreement", "--steps", steps.ToString(), "--eval-every", evalEvery.ToString(), "--tokens-per-batch", "1024",
         "--train-examples", "300", "--test-examples", "20", "--run", run, "--threads", "1", .. more];

    [Fact]
    public void TheReadersCrcIsCrc32C()
    {
        // The check value of CRC-32C (Castagnoli) over the ASCII digits 1–9, from the CRC catalogue.
        Assert.Equal(0xE3069283u, EventFileReader.Crc32C(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void EveryScalarOfTheEventFilesIsTheValueInMetricsJsonlAndResultJson()
    {
        using var folder = new TemporaryFolder();
        var run = folder.Combine("run");
        var (exit, _, error) = Run(Train(run, 12, 6));
        Assert.True(exit == ExitCodes.Success, error);

        var events = EventFileReader.ReadFolder(run);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Assert.All(events, e => Assert.InRange(e.WallTime, now - 600, now + 1));   // Unix seconds, not ticks
        var scalars = EventFileReader.Scalars(events);

        var expected = new List<(long Step, string Tag, float Value)>();
        foreach (var line in File.ReadLines(Path.Combine(run, "metrics.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            var e = json.RootElement;
            long step = e.GetProperty("step").GetInt64();
            float F(string name) => (float)e.GetProperty(name).GetDouble();
            switch (e.GetProperty("event").GetString())
            {
                case "step":
                    expected.AddRange([(step, "train/loss", F("loss")), (step, "train/learning_rate", F("lr")), (step, "train/grad_norm", F("grad_norm")),
                        (step, "train/tokens_per_second", F("tokens_per_second")), (step, "train/targets_per_second", F("targets_per_second"))]);
                    break;
                case "eval":
                    expected.AddRange([(step, "eval/loss", F("loss")), (step, "eval/accuracy", F("accuracy")), (step, "eval/perplexity", F("perplexity"))]);
                    break;
            }
        }
        using (var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunResult.FileName))))
            foreach (var d in result.RootElement.GetProperty("contrastive").EnumerateArray())
                expected.Add((d.GetProperty("distance").GetInt64(), TensorBoardLog.AgreementTag, (float)d.GetProperty("accuracy").GetDouble()));

        Assert.Equal(12 * 5 + 2 * 3 + 10, expected.Count);   // 12 updates, 2 evaluations, 10 distances
        Assert.Equal(expected, scalars);
    }

    [Fact]
    public void TensorBoardFlagPutsTheFilesElsewhereAndNoTensorBoardWritesNone()
    {
        using var folder = new TemporaryFolder();
        var (run, board) = (folder.Combine("run"), folder.Combine("board"));
        var (exit, _, error) = Run(Train(run, 2, 2, "--tensorboard", board));
        Assert.True(exit == ExitCodes.Success, error);
        Assert.Empty(Directory.GetFiles(run, "events.out.tfevents.*"));
        Assert.Contains(EventFileReader.Scalars(EventFileReader.ReadFolder(board)), s => s.Tag == "train/loss" && s.Step == 2);

        var quiet = folder.Combine("quiet");
        (exit, _, error) = Run(Train(quiet, 2, 2, "--no-tensorboard"));
        Assert.True(exit == ExitCodes.Success, error);
        Assert.Empty(Directory.GetFiles(quiet, "events.out.tfevents.*", SearchOption.AllDirectories));

        (exit, _, error) = Run(Train(folder.Combine("both"), 2, 2, "--no-tensorboard", "--tensorboard", board));
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("contradict", error);
    }

    [Fact]
    public void AnUnwritableTensorBoardOrRunsFolderIsOneLineAndExitOne()
    {
        using var folder = new TemporaryFolder();
        string file = folder.Combine("a-file");
        File.WriteAllText(file, "");

        var (exit, _, error) = Run(Train(folder.Combine("run"), 2, 2, "--tensorboard", Path.Combine(file, "board")));
        Assert.Equal(ExitCodes.Failure, exit);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: cannot write TensorBoard event files to '{Path.Combine(file, "board")}'", line);
        Assert.Contains("--no-tensorboard", line);

        // compare checks its folder before it trains anything.
        (exit, var output, error) = Run("compare", "--task", "agreement", "--steps", "1", "--runs", Path.Combine(file, "runs"));
        Assert.Equal(ExitCodes.Failure, exit);
        line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: cannot write figures to '{Path.Combine(file, "runs")}'", line);
        Assert.DoesNotContain("training", output);
    }

    [Fact]
    public void AResumedRunMarksARestartSoTensorBoardShowsEachUpdateOnce()
    {
        using var folder = new TemporaryFolder();
        manual_seed(3);
        using var model = new TinyLanguageModel();
        using var data = new SyntheticBatches(seed: 3);
        var options = TrainerTests.Options(folder.Path, 10, 4);
        using (var first = new Trainer(model, data, new FixedEvaluationSet(), options)) first.Run();   // checkpoints at 4, 8, 10
        // Pretend the run had stopped after its checkpoint at step 8 but logged 9 and 10 already.
        File.WriteAllText(Path.Combine(folder.Path, "last"), "checkpoint-8");
        using (var resumed = new Trainer(model, data, new FixedEvaluationSet(), options with { Resume = true, MaxSteps = 12 })) resumed.Run();

        var events = EventFileReader.ReadFolder(folder.Path);
        Assert.Equal(2, Directory.GetFiles(folder.Path, "events.out.tfevents.*").Length);
        Assert.Contains(events, e => e.Restart && e.Step == 9);
        var losses = EventFileReader.Scalars(events).Where(s => s.Tag == "train/loss").ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), losses.Select(s => s.Step));
        var logged = File.ReadLines(Path.Combine(folder.Path, "metrics.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("event").GetString() == "step")
            .Select(e => (float)e.GetProperty("loss").GetDouble());
        Assert.Equal(logged, losses.Select(s => s.Value));
    }
}
