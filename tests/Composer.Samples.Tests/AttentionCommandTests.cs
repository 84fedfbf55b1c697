using System;
using System.IO;
using System.Linq;
using Composer.Cli;
using Composer.Figures;
using Composer.Layers;
using Composer.Models;
using Composer.Samples.Probes;
using Composer.Tests.Figures;
using Xunit;

namespace Composer.Samples.Tests;

/// <summary>
/// <c>attention</c> on the probes, in-process: every mixer kind that has weights is drawn as a grid of the
/// stated size, the recurrent probe (nothing to draw anywhere) is refused, and bad input is one line.
/// </summary>
public sealed class AttentionCommandTests : IDisposable
{
    private static readonly ModelEntry[] Probes = [AttentionProbe.Entry, LinearAttentionProbe.Entry, LightConvProbe.Entry, DynamicConvProbe.Entry, RecurrentProbe.Entry, Composer.Samples.ConvTranslator.Entry];
    private readonly string _folder = Directory.CreateTempSubdirectory("composer-attention-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = TrainingProgram.Run(args, Probes, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A checkpoint after one update: the maps' shapes do not depend on training.</summary>
    private string Checkpoint(string model, string task = "agreement")
    {
        string run = Path.Combine(_folder, model);
        string[] testExamples = task == "agreement" ? ["--test-examples", "1"] : [];
        var (exit, _, error) = Run(["train", "--model", model, "--task", task, "--steps", "1", "--eval-every", "1", "--tokens-per-batch", "512",
            "--train-examples", "50", "--run", run, "--threads", "1", "--no-tensorboard", .. testExamples]);
        Assert.True(exit == 0, error);
        return run;
    }

    private const string Prompt = "<bos> w3 n5 w7 a2s w4 a1 VERB";   // 8 tokens

    [Theory]
    [InlineData("AttentionProbe", "softmax weights")]
    [InlineData("LinearAttentionProbe", "implied weights")]
    [InlineData("LightConvProbe", "kernel band")]
    [InlineData("DynamicConvProbe", "per-position kernel band")]
    public void DrawsOnePanelPerHeadOfEveryMixer(string model, string kind)
    {
        string out_ = Path.Combine(_folder, model + "-maps");
        var (exit, output, error) = Run("attention", "--model", model, "--checkpoint", Checkpoint(model), "--task", "agreement", "--prompt", Prompt, "--out", out_);
        Assert.True(exit == 0, error);
        Assert.Contains($"layers.0.mixer: 4 head(s), {kind}", output);
        Assert.Contains($"layers.1.mixer: 4 head(s), {kind}", output);
        // 2 mixers × 4 heads: a 2 × 4 grid of panels.
        var figure = new SavedFigure(Path.Combine(out_, "attention.png"), Path.Combine(out_, "attention.svg"), 4 * AttentionFigure.PanelSize, 2 * AttentionFigure.PanelSize,
            new ScottPlot.PixelRect(0, 4 * AttentionFigure.PanelSize, 2 * AttentionFigure.PanelSize, 0), default);
        FigureChecks.Check(figure, 4 * AttentionFigure.PanelSize, 2 * AttentionFigure.PanelSize).Dispose();
        string md = File.ReadAllText(Path.Combine(out_, "attention.md"));
        Assert.Contains("![attention maps](attention.png)", md);
        Assert.Contains("| `layers.1.mixer` | 4 |", md);
    }

    [Fact]
    public void ASeq2SeqModelDrawsEncoderDecoderAndCrossMixersOnItsOwnTranslation()
    {
        string out_ = Path.Combine(_folder, "translator-maps");
        var (exit, output, error) = Run("attention", "--model", "ConvTranslator", "--checkpoint", Checkpoint("ConvTranslator", "reverse"), "--prompt", "abc", "--out", out_);
        Assert.True(exit == 0, error);
        Assert.Contains("encoder.layers.0.mixer", output);
        Assert.Contains("decoder.layers.0.", output);
        Assert.Contains("decoder input (its greedy translation)", File.ReadAllText(Path.Combine(out_, "attention.md")));
    }

    [Fact]
    public void AModelWithNothingToDrawIsRefusedInOneLine()
    {
        var (exit, _, error) = Run("attention", "--model", "RecurrentProbe", "--checkpoint", Checkpoint("RecurrentProbe"), "--task", "agreement", "--prompt", Prompt,
            "--out", Path.Combine(_folder, "none"));
        Assert.Equal(ExitCodes.Failure, exit);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("RecurrentProbe has no mixer with weights over positions to draw", line);
        Assert.Contains("layers.0.mixer (RecurrentMixer): a recurrent mixer carries a state", line);
        Assert.False(File.Exists(Path.Combine(_folder, "none", "attention.png")));
    }

    [Fact]
    public void BadInputIsOneLineAndExitOneOrTwo()
    {
        string checkpoint = Checkpoint("AttentionProbe");
        string longPrompt = "<bos> " + string.Join(" ", Enumerable.Repeat("w1", 128));   // 129 tokens, MaxLength is 128
        var (exit, _, error) = Run("attention", "--model", "AttentionProbe", "--checkpoint", checkpoint, "--task", "agreement", "--prompt", longPrompt, "--out", Path.Combine(_folder, "long"));
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("error: the prompt is 129 tokens, but AttentionProbe takes at most MaxLength = 128; shorten the prompt.", error.Trim());

        string file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "");
        (exit, _, error) = Run("attention", "--model", "AttentionProbe", "--checkpoint", checkpoint, "--task", "agreement", "--prompt", Prompt, "--out", Path.Combine(file, "maps"));
        Assert.Equal(ExitCodes.Failure, exit);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot write figures to", line);

        (exit, _, error) = Run("attention", "--model", "AttentionProbe", "--checkpoint", checkpoint, "--task", "agreement", "--prompt", "", "--out", Path.Combine(_folder, "empty"));
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--prompt is empty", error);
    }

    [Fact]
    public void ReceptiveFieldsOfTheProbes()
    {
        int? Of(ModelEntry e) { using var m = e.Create(ModuleContext.Cpu); return ReceptiveField.Left(m); }
        Assert.Equal(45, Of(LightConvProbe.Entry));   // kernels 15 and 31: 1 + 14 + 30
        Assert.Equal(9, Of(ShortConvProbe.Entry));    // kernels 3 and 7: 1 + 2 + 6
        Assert.Null(Of(AttentionProbe.Entry));
        Assert.Null(Of(RecurrentProbe.Entry));
    }
}
