using System.IO;
using System.Text.Json;
using Composer.Cli;
using Composer.Models;
using Composer.Tests.Training;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Cli;

/// <summary>The training executables' command line, run in-process: exit codes and messages for bad flags and bad data, and a real run.</summary>
public class CommandLineTests
{
    private static readonly ModelEntry Tiny = new(new TinyLanguageModel(vocabulary: 256).Description, context => new TinyLanguageModel(vocabulary: 256, context: context));
    private static readonly ModelEntry Other = new(new TinyLanguageModel(vocabulary: 256, width: 8).Description with { Name = "Other" }, context => new TinyLanguageModel(vocabulary: 256, width: 8, context: context));

    private static (int Exit, string Output, string Error) Run(params string[] args) => RunWith([Tiny], args);

    private static (int Exit, string Output, string Error) RunWith(ModelEntry[] models, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = TrainingProgram.Run(args, models, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void NoArgumentsPrintsUsage()
    {
        var (exit, _, error) = Run();
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("train", error);
        Assert.Contains("compare", error);
    }

    [Fact]
    public void HelpIsEverywhere()
    {
        foreach (var command in new[] { "train", "evaluate", "generate", "summary", "compare", "papa" })
        {
            var (exit, output, _) = Run(command, "--help");
            Assert.Equal(ExitCodes.Success, exit);
            Assert.Contains("--", output);
        }
        Assert.Contains("--tokens-per-batch", Run("train", "--help").Output);
    }

    [Theory]
    [InlineData("--steps", "-5", "--steps must be positive")]
    [InlineData("--steps", "many", "many")]
    [InlineData("--lr", "0", "--lr must be a positive number")]
    [InlineData("--label-smoothing", "1.5", "--label-smoothing must be in [0, 1)")]
    [InlineData("--schedule", "linear", "linear")]
    [InlineData("--bogus", "1", "--bogus")]
    public void BadFlagsPrintTheErrorAndUsageAndExitWithTwo(string flag, string value, string expected)
    {
        var (exit, _, error) = Run("train", "--task", "agreement", flag, value);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(expected, error);
        Assert.Contains("Usage:", error);
    }

    [Fact]
    public void NeitherTaskNorDataIsAUsageError()
    {
        var (exit, _, error) = Run("train", "--steps", "1");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("give either --task NAME", error);
    }

    [Fact]
    public void AnUnknownModelOrTaskIsAUsageError()
    {
        var (exit, _, error) = RunWith([Tiny, Other], "train", "--task", "agreement");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("choose one with --model (TinyLanguageModel, Other)", error);
        Assert.Contains("there is no model 'Nope'", RunWith([Tiny, Other], "summary", "--model", "Nope").Error);
        Assert.Contains("no built-in task 'nope'", Run("train", "--task", "nope").Error);
    }

    [Fact]
    public void BadDataFilesSayWhatAndWhereAndExitWithOne()
    {
        using var folder = new TemporaryFolder();
        var missing = folder.Combine("missing.txt");
        var (exit, _, error) = Run("train", "--data", missing);
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("missing.txt", error);
        Assert.Contains("not found", error);

        var empty = folder.Combine("empty.txt");
        File.WriteAllText(empty, "");
        (exit, _, error) = Run("train", "--data", empty);
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("empty", error);

        var invalid = folder.Combine("invalid.txt");
        File.WriteAllBytes(invalid, [(byte)'o', (byte)'k', 0xC3, 0x28, (byte)'!']);
        (exit, _, error) = Run("train", "--data", invalid);
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("invalid UTF-8 at byte offset 2", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void CudaWithoutACudaBackendIsOneClearLineWithTheFix()
    {
        Assert.Equal(ExitCodes.Usage, Run("train", "--task", "agreement", "--device", "gpu").Exit);
        if (cuda.is_available()) return; // the test project's backend is libtorch's CPU one; on a CUDA build there is nothing to refuse
        foreach (var command in new[] { new[] { "train", "--task", "agreement" }, ["generate", "--checkpoint", "nowhere", "--prompt", "ab"] })
        {
            var (exit, output, error) = Run([.. command, "--device", "cuda"]);
            Assert.Equal(ExitCodes.Failure, exit); // like other bad input
            Assert.Equal("", output);
            Assert.Single(error.Trim().Split('\n'));
            Assert.StartsWith("error: CUDA was requested but is not available", error);
            Assert.Contains("TorchSharp-cuda-linux", error);    // the fix: a CUDA backend …
            Assert.Contains("--device cpu", error);             // … or the CPU
        }
    }

    [Fact]
    public void TrainsEvaluatesAndGeneratesOnABuiltInTask()
    {
        using var folder = new TemporaryFolder();
        var run = folder.Combine("run");
        var (exit, output, error) = Run("train", "--task", "agreement", "--steps", "30", "--eval-every", "15", "--tokens-per-batch", "2048",
            "--train-examples", "500", "--run", run, "--threads", "1");
        Assert.True(exit == ExitCodes.Success, error);
        Assert.Contains("validation loss", output);
        Assert.Contains("agreement at distance 96", output);
        Assert.Contains("tokens/s", output);
        Assert.Contains("targets/s", output);
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunResult.FileName))))
        {
            var result = json.RootElement;
            Assert.Equal(30, result.GetProperty("steps").GetInt64());
            Assert.True(result.GetProperty("peak_memory_bytes").GetInt64() > 0);
            // Agreement scores one verb per sentence: tokens read far outnumber targets, and so do their rates.
            Assert.True(result.GetProperty("tokens").GetInt64() > 10 * result.GetProperty("targets").GetInt64());
            Assert.True(result.GetProperty("tokens_per_second").GetDouble() > 10 * result.GetProperty("targets_per_second").GetDouble());
        }
        Assert.True(File.Exists(Path.Combine(run, "metrics.jsonl")));

        (exit, output, error) = Run("evaluate", "--checkpoint", run, "--task", "agreement", "--train-examples", "500");
        Assert.True(exit == ExitCodes.Success, error);
        Assert.Contains("perplexity", output);

        (exit, output, error) = Run("generate", "--checkpoint", run, "--prompt", "ab", "--max-tokens", "5");
        Assert.True(exit == ExitCodes.Success, error);
        Assert.StartsWith("ab", output);

        (exit, _, error) = RunWith([Other], "evaluate", "--checkpoint", run, "--task", "agreement");
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("does not fit this model", error);
    }

    [Fact]
    public void SummaryPrintsTheDescription()
    {
        var (exit, output, _) = Run("summary");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("TinyLanguageModel (LanguageModel", output);
    }
}
