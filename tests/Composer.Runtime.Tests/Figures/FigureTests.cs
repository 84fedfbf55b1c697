using System;
using System.IO;
using System.Linq;
using Composer.Cli;
using Composer.Figures;
using Composer.Probing;
using Composer.Tests.Training;
using SkiaSharp;
using Xunit;

namespace Composer.Tests.Figures;

/// <summary>The comparison and benchmark figures, drawn from known data and checked in their pixels.</summary>
public class FigureTests
{
    private static DistanceAccuracy Point(int d, double accuracy) => new(d, accuracy, accuracy - 0.05, Math.Min(1, accuracy + 0.03), 100);

    [Fact]
    public void TheAgreementCurvePassesThroughItsKnownPointAndTheMarkerSitsAtTheReceptiveField()
    {
        using var folder = new TemporaryFolder();
        var curves = new[]
        {
            new AgreementCurve("A", [Point(1, 1.0), Point(16, 0.9), Point(32, 0.75), Point(64, 0.6), Point(96, 0.55)], null),
            new AgreementCurve("B", [Point(1, 0.95), Point(16, 0.8), Point(32, 0.6), Point(64, 0.52), Point(96, 0.5)], 9),
        };
        var figure = AgreementFigure.Save(curves, folder.Combine("agreement"));
        using var bitmap = FigureChecks.Check(figure, AgreementFigure.Width, AgreementFigure.Height);

        // Model A's line (and its marker) at d = 32 lies at accuracy 0.75.
        var colourA = ToSk(ModelColours.Of(0));
        int column = FigureChecks.PixelX(figure, 32);
        var rows = FigureChecks.RowsOfColour(bitmap, figure, column, colourA);
        Assert.NotEmpty(rows);
        double expected = FigureChecks.PixelY(figure, 0.75);
        double centre = rows.Where(y => Math.Abs(y - expected) < 20).DefaultIfEmpty(-1000).Average();
        Assert.True(Math.Abs(centre - expected) <= 3, $"model A at d = 32 is drawn at row {centre:F1}, expected {expected:F1} (rows in its colour: {string.Join(",", rows)})");

        // Model B's receptive field (9 tokens) is a vertical line in B's colour at d = 8, over most of the height.
        var colourB = ToSk(ModelColours.Of(1));
        int markerColumn = FigureChecks.PixelX(figure, 8);
        int markerRows = Enumerable.Range(markerColumn - 1, 3).Max(x => FigureChecks.RowsOfColour(bitmap, figure, x, colourB).Length);
        Assert.True(markerRows > figure.DataArea.Height / 3, $"the receptive-field marker covers {markerRows} rows of {figure.DataArea.Height}");
        int elsewhere = FigureChecks.RowsOfColour(bitmap, figure, FigureChecks.PixelX(figure, 4), colourB).Length;
        Assert.True(elsewhere < markerRows / 3, "no such line where there is no marker");
    }

    [Fact]
    public void LossCurvesComeFromMetricsJsonl()
    {
        using var folder = new TemporaryFolder();
        string metrics = folder.Combine("metrics.jsonl");
        File.WriteAllLines(metrics,
        [
            """{"event":"start","step":0,"model":"A"}""",
            .. Enumerable.Range(1, 40).Select(s => $$"""{"event":"step","step":{{s}},"loss":{{(2.0 / s).ToString(System.Globalization.CultureInfo.InvariantCulture)}},"lr":0.001}"""),
            """{"event":"eval","step":20,"loss":0.3,"accuracy":0.9}""",
            """{"event":"eval","step":40,"loss":"NaN","accuracy":0.9}""",
        ]);
        var curves = TrainingCurves.Read("A", metrics);
        Assert.Equal(40, curves.Training.Count);
        Assert.Equal((20L, 0.3), Assert.Single(curves.Validation));   // the non-finite one is left out
        var figure = LossCurvesFigure.Save([curves, curves with { Model = "B", Training = curves.Training.Select(p => (p.Step, p.Loss / 2)).ToList() }], folder.Combine("loss"));
        FigureChecks.Check(figure, LossCurvesFigure.Width, LossCurvesFigure.Height);
    }

    [Fact]
    public void DecodingCostIsOneLinePerModel()
    {
        using var folder = new TemporaryFolder();
        var figure = DecodingCostFigure.Save(
            [new DecodingCost("Flat", Enumerable.Repeat(2.0, 64).ToArray()), new DecodingCost("Growing", Enumerable.Range(0, 64).Select(t => 1 + t / 16.0).ToArray())],
            "decoding cost", folder.Combine("decode"));
        using var bitmap = FigureChecks.Check(figure, DecodingCostFigure.Width, DecodingCostFigure.Height);
        var rows = FigureChecks.RowsOfColour(bitmap, figure, FigureChecks.PixelX(figure, 32), ToSk(ModelColours.Of(0)));
        Assert.True(rows.Length > 0 && Math.Abs(rows.Average() - FigureChecks.PixelY(figure, 2.0)) <= 3, "the flat line sits at 2 ms");
    }

    [Fact]
    public void AnUnwritableFolderIsOneClearError()
    {
        using var folder = new TemporaryFolder();
        string file = folder.Combine("a-file");
        File.WriteAllText(file, "");
        var error = Assert.Throws<IOException>(() => FigureFiles.EnsureWritable(Path.Combine(file, "figures")));
        Assert.Contains("cannot write figures to", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>
    /// The PAPA curve: score against the input-dependent heads left, one curve per order; the ranked order's
    /// point at 8 of 16 heads left (score 0.75) and the random control's at 4 left (0.6) sit where they should.
    /// </summary>
    [Fact]
    public void ThePapaCurveShowsScoreAgainstTheHeadsLeftForEveryOrder()
    {
        using var folder = new TemporaryFolder();
        static PapaReport Report(string order, params (int Constant, double Score)[] points) => new()
        {
            Model = "M", Kind = "language model", Data = "agreement", Order = order, OrderDescription = order, Mode = "zero-shot",
            ScoreName = "agreement accuracy", TotalHeads = 16, Layers = [], AverageBatches = 1, AverageSequences = 1, Ranking = [],
            Fractions = points.Select(p => new PapaFraction(p.Constant / 16.0, p.Constant, 1, 1, p.Score, (points[0].Score - p.Score) / points[0].Score, 0, null, [])).ToArray(),
        };
        var ranked = Report("divergence", (0, 1.0), (4, 1.0), (8, 0.75), (12, 0.7), (14, 0.65), (15, 0.6), (16, 0.5));
        var control = Report("random", (0, 1.0), (4, 0.9), (8, 0.8), (12, 0.6), (14, 0.55), (15, 0.5), (16, 0.5));
        var figure = PapaFigure.Save([control, ranked], folder.Combine("papa"));
        using var bitmap = FigureChecks.Check(figure, PapaFigure.Width, PapaFigure.Height);
        foreach (var (order, headsLeft, score) in new[] { ("divergence", 8, 0.75), ("random", 4, 0.6) })
        {
            var rows = FigureChecks.RowsOfColour(bitmap, figure, FigureChecks.PixelX(figure, headsLeft), ToSk(PapaFigure.ColourOf(order)));
            double expected = FigureChecks.PixelY(figure, score);
            double centre = rows.Where(y => Math.Abs(y - expected) < 20).DefaultIfEmpty(-1000).Average();
            Assert.True(Math.Abs(centre - expected) <= 3, $"the {order} curve at {headsLeft} heads left is drawn at row {centre:F1}, expected {expected:F1}");
        }
        Assert.Throws<ArgumentException>(() => PapaFigure.Build([]));
    }

    private static SKColor ToSk(ScottPlot.Color c) => new(c.R, c.G, c.B, c.A);
}
