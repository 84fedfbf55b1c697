using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Composer.Checkpoints;
using Composer.Cli;
using Composer.Models;
using Composer.Probing;
using Composer.Tests.Harness;
using Composer.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Probing;

/// <summary>
/// The <c>papa</c> command (MIXERS.md §7a) run in-process on tiny attention models trained on the agreement
/// task: the table, the files, the saved model with constant heads, the three orders, probe mode for
/// classifiers, and every bad input as one line with its exit code.
/// </summary>
public sealed class PapaCommandTests : IDisposable
{
    private static readonly ModelEntry Lm = TinyAttentionLm.Entry();
    private static readonly ModelEntry Classifier = TinyAttentionClassifier.Entry();
    private static readonly ModelEntry Unbounded = new(new TinyAttentionLm(maxLength: 0).Description with { Name = "Unbounded" }, c => new TinyAttentionLm(maxLength: 0, context: c));
    private static readonly ModelEntry NoAttention = new(new TinyLanguageModel(vocabulary: 256).Description, c => new TinyLanguageModel(vocabulary: 256, context: c));
    private static readonly ModelEntry[] Models = [Lm, Classifier, Unbounded, NoAttention];

    // Small agreement data, the same for training and probing.
    private static readonly string[] Data = ["--task", "agreement", "--max-distance", "8", "--train-examples", "300", "--test-examples", "8", "--tokens-per-batch", "1024", "--threads", "1"];

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = TrainingProgram.Run(args, Models, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string Train(ModelEntry model, int steps = 20)
    {
        string run = _folder.Combine("run-" + model.Description.Name);
        var (exit, output, error) = Run(["train", "--model", model.Description.Name, "--steps", S(steps), "--eval-every", S(steps), "--lr", "3e-3", "--run", run, .. Data]);
        Assert.True(exit == 0, $"training failed: {exit}\n{output}\n{error}");
        return run;
    }

    private (int Exit, string Output, string Error) Papa(ModelEntry model, string checkpoint, params string[] more) =>
        Run(["papa", "--model", model.Description.Name, "--checkpoint", checkpoint, .. Data, .. more]);

    private static string S(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A language model is probed zero-shot: seven fractions of its four heads (0, 1, 2, 3 heads, then
    /// round(3.5) = round(3.75) = 4, and 4), a table with agreement by distance, the RESULT lines last,
    /// papa.json and the matrices; the saved model with half its heads constant evaluates to the loss the
    /// probe measured for it and generates through Step.
    /// </summary>
    [Fact]
    public void ALanguageModelIsProbedZeroShotAndItsHalfConstantModelIsSaved()
    {
        string run = Train(Lm);
        string output = _folder.Combine("papa"), saved = _folder.Combine("saved");
        var (exit, text, error) = Papa(Lm, run, "--out", output, "--save", saved);
        Assert.True(exit == 0, $"papa failed: {exit}\n{text}\n{error}");

        var lines = text.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.StartsWith("RESULT papa_relative_drop_all ", lines[^2]);
        Assert.StartsWith("RESULT papa_relative_drop_half ", lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("constant heads  fraction", StringComparison.Ordinal) && l.Contains("d=8"));
        foreach (var row in new[] { "0 of 4 ", "1 of 4 ", "2 of 4 ", "3 of 4 " }) Assert.Contains(lines, l => l.StartsWith(row, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("4 of 4 ", StringComparison.Ordinal) && l.Contains(" 15/16 "));
        Assert.Contains("order: divergence", text);

        var report = PapaReport.Load(Path.Combine(output, "papa.json"));
        Assert.Equal("divergence", report.Order);
        Assert.Equal(File.ReadAllText(Path.Combine(output, "papa.json")), File.ReadAllText(Path.Combine(output, "papa-divergence.json")));
        Assert.Contains($"figure: {Path.Combine(output, "papa.png")}, {Path.Combine(output, "papa.svg")}", text);
        Assert.True(new FileInfo(Path.Combine(output, "papa.png")).Length > 0 && new FileInfo(Path.Combine(output, "papa.svg")).Length > 0);
        Assert.Equal(4, report.TotalHeads);
        Assert.Equal([0, 1, 2, 3, 4, 4, 4], report.Fractions.Select(f => f.ConstantHeads));
        Assert.Equal(0.0, report.Fractions[0].RelativeDrop);
        Assert.Equal(lines[^2], string.Create(CultureInfo.InvariantCulture, $"RESULT papa_relative_drop_all {report.Fractions[^1].RelativeDrop:0.0000}"));
        // The table's Δ loss is the loss minus the loss with no constant head, as papa.json's losses give it.
        foreach (var (fraction, row) in report.Fractions.Zip(lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+ of 4 "))))
        {
            var columns = System.Text.RegularExpressions.Regex.Split(row, @"\s{2,}");
            double expected = fraction.ValidationLoss - report.Fractions[0].ValidationLoss;
            Assert.Equal(expected, double.Parse(columns[3], CultureInfo.InvariantCulture), Math.Max(Math.Abs(expected) * 5e-3, 5e-5));
        }
        Assert.Equal(report.Fractions[0].Score, report.Fractions[0].Agreement!.Average(d => d.Accuracy), 12);
        Assert.Equal(300, report.AverageSequences);
        var divergences = report.Ranking.Select(r => r.Score).ToArray();
        Assert.Equal(divergences.Order(), divergences);                          // smallest divergence first
        Assert.All(divergences, d => Assert.InRange(d, 0, Math.Log(2) + 1e-9));    // Jensen–Shannon is at most ln 2
        var half = report.Fractions.Single(f => f.Fraction == 0.5);
        Assert.Equal(report.Ranking.Take(2).Select(r => $"{r.Layer}/{r.Head}").Order(), half.Constant.Order());

        using var scope = NewDisposeScope();
        using (var matrices = Safetensors.Load(Path.Combine(output, "matrices.safetensors")))
        using (var model = new TinyAttentionLm())
        {
            var average = matrices.Get("layers.0.mixer.average");
            Assert.Equal([4L, 128, 128], average.shape);
            Assert.Equal(ScalarType.Float64, average.dtype);
            Assert.Equal(0.0, average.triu(1).abs().max().ToDouble());                        // causal stays causal
            Assert.Equal(0.0, average.narrow(1, 8 + 8 + 2, 128 - 18).abs().max().ToDouble()); // positions training never reached average to 0

            // The saved checkpoint: the two constant heads with their Ā, loaded into a fresh model.
            var checkpoint = RunFolder.Resolve(saved);
            checkpoint.LoadModel(model);
            var constant = model.Layer.ConstantHeads!;
            var heads = report.Ranking.Take(2).Select(r => (long)r.Head).Order().ToArray();
            Assert.Equal(heads.Select(h => (int)h), constant.Constant);
            Reference.AssertClose(constant.Matrix, average.index_select(0, tensor(heads)).to(ScalarType.Float32), "saved Ā", tolerance: 0);
        }

        var (evaluated, evaluation, evaluationError) = Run(["evaluate", "--model", "TinyAttentionLm", "--checkpoint", saved, .. Data]);
        Assert.True(evaluated == 0, evaluationError);
        Assert.Contains($"validation loss {half.ValidationLoss.ToString("0.0000", CultureInfo.InvariantCulture)}", string.Join(" ", evaluation.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        var (generated, continuation, generationError) = Run(["generate", "--model", "TinyAttentionLm", "--checkpoint", saved, "--task", "agreement", "--prompt", "<bos> w1 n3s w2 VERB", "--max-tokens", "3", "--threads", "1"]);
        Assert.True(generated == 0, generationError);
        Assert.StartsWith("<bos> w1 n3s w2 VERB ", continuation);
    }

    /// <summary>
    /// A classifier is probed with its head retrained per fraction from the same start with the same seed,
    /// the rest frozen: two runs agree to the last digit, and the trained backbone is not touched.
    /// </summary>
    [Fact]
    public void AClassifierIsProbedWithItsHeadRetrainedTheSameWayEachTime()
    {
        string run = Train(Classifier);
        var first = PapaReport.Load(ProbeInto("a"));
        var second = PapaReport.Load(ProbeInto("b"));
        Assert.StartsWith("probe: the classifier's head retrained", first.Mode);
        Assert.Equal(first.Fractions.Select(f => (f.Score, f.ValidationLoss)), second.Fractions.Select(f => (f.Score, f.ValidationLoss)));
        Assert.False(first.Layers[0].Causal);

        string ProbeInto(string name)
        {
            string output = _folder.Combine(name);
            var (exit, text, error) = Papa(Classifier, run, "--out", output, "--probe-steps", "5", "--order", "random");
            Assert.True(exit == 0, $"papa failed: {exit}\n{text}\n{error}");
            return Path.Combine(output, "papa.json");
        }
    }

    /// <summary>The random order is the control the report names; the gate order trains λ and ranks by it.</summary>
    [Fact]
    public void TheRandomAndGateOrdersAreUsedAndNamed()
    {
        string run = Train(Lm);
        var (exit, text, error) = Papa(Lm, run, "--out", _folder.Combine("random"), "--order", "random", "--seed", "3");
        Assert.True(exit == 0, error);
        Assert.Contains("order: random: a random order drawn from the seed (the control)", text);
        var random = PapaReport.Load(_folder.Combine("random", "papa.json"));
        using (var model = new TinyAttentionLm())
            Assert.Equal(HeadRanking.Random(AttentionLayer.Find(model), 3).Select(r => r.Head.Head), random.Ranking.Select(r => r.Head));

        (exit, text, error) = Papa(Lm, run, "--out", _folder.Combine("gate"), "--order", "gate", "--probe-steps", "10", "--probe-lr", "0.1");
        Assert.True(exit == 0, error);
        Assert.Contains("order: gate: PAPA's learned gate", text);
        var gate = PapaReport.Load(_folder.Combine("gate", "papa.json"));
        Assert.Equal("gate", gate.Order);
        Assert.Contains(gate.Ranking, r => r.Score != 0);                      // λ moved from 0
        Assert.Equal(gate.Ranking.Select(r => r.Score).Order(), gate.Ranking.Select(r => r.Score));
    }

    [Fact]
    public void AModelWithoutAttentionIsOneLineAndExitCodeOne()
    {
        var (exit, output, error) = Papa(NoAttention, "nowhere");
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("", output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: TinyLanguageModel has no softmax attention layer", error);
    }

    [Fact]
    public void AnAttentionModelWithoutMaxLengthIsOneLineAndExitCodeOne()
    {
        var (exit, _, error) = Papa(Unbounded, "nowhere");
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("declares no MaxLength", error);
    }

    [Theory]
    [InlineData("--order", "loudest", "loudest")]
    [InlineData("--save-fraction", "1.5", "--save-fraction must be in [0, 1]")]
    [InlineData("--probe-steps", "-1", "--probe-steps must be 0 or more")]
    public void BadFlagsAreUsageErrors(string flag, string value, string expected)
    {
        var (exit, _, error) = Papa(Lm, "nowhere", flag, value);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void AFractionThatIsNotEvaluatedCannotBeSaved()
    {
        var (exit, _, error) = Papa(Lm, "nowhere", "--save", _folder.Combine("x"), "--save-fraction", "0.3");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--save-fraction must be one of the fractions evaluated: 0, 0.25, 0.5, 0.75, 0.875, 0.9375, 1 (got 0.3)", error);
    }

    [Fact]
    public void AMissingCheckpointIsOneLineAndExitCodeOne()
    {
        var (exit, _, error) = Papa(Lm, _folder.Combine("missing"));
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("does not exist", error);
    }

    /// <summary>
    /// A model saved with constant heads is not probed again; saving into the probed run would replace
    /// its checkpoint, so it is refused; a checkpoint whose head list is broken is refused by every
    /// command with what is wrong.
    /// </summary>
    [Fact]
    public void ProbedCheckpointsAreNotMisused()
    {
        string run = Train(Lm, steps: 5);
        string saved = _folder.Combine("saved");
        var (exit, _, error) = Papa(Lm, run, "--out", _folder.Combine("papa"), "--save", saved, "--save-fraction", "1");
        Assert.True(exit == 0, error);

        (exit, _, error) = Papa(Lm, saved, "--out", _folder.Combine("again"));
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("already has constant heads", error);

        (exit, _, error) = Papa(Lm, run, "--out", _folder.Combine("again"), "--save", run);
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("holds the checkpoint being probed", error);
        Assert.Single(Directory.GetDirectories(run, "checkpoint-*"));

        // Heads out of order in the weights file.
        string weights = Path.Combine(RunFolder.Resolve(saved).Path, Checkpoint.ModelFile);
        Dictionary<string, Tensor> tensors;
        using (var file = Safetensors.Load(weights)) tensors = file.GetAll();
        tensors["layers.0.mixer.constant_heads.heads"] = tensor(new long[] { 3, 2, 1, 0 });
        Safetensors.Save(weights, tensors);
        (exit, _, error) = Run(["evaluate", "--model", "TinyAttentionLm", "--checkpoint", saved, .. Data]);
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("layers.0.mixer.constant_heads.heads must list distinct heads of 0–3 in ascending order, found [3, 2, 1, 0]", error);
        foreach (var t in tensors.Values) t.Dispose();
    }
}
