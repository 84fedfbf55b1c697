using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Cli;
using ScottPlot;

namespace Composer.Figures;

/// <summary>One model's line in <see cref="AgreementFigure"/>.</summary>
/// <param name="Model">Model name (the legend).</param>
/// <param name="Points">Accuracy with its Wilson 95% interval per distance.</param>
/// <param name="ReceptiveField">Tokens an output position sees (itself included) when that is bounded, as for convolutions; null when unbounded.</param>
public sealed record AgreementCurve(string Model, IReadOnlyList<DistanceAccuracy> Points, int? ReceptiveField);

/// <summary>
/// Contrastive agreement accuracy against subject–verb distance: one line per model over its Wilson 95%
/// band, chance (50%) dashed, and for each model with a bounded receptive field R a vertical dashed marker
/// in its colour at d = R − 1, the farthest subject the verb's position can see.
/// </summary>
public static class AgreementFigure
{
    /// <summary>Default size in pixels.</summary>
    public const int Width = 960, Height = 600;

    /// <summary>Builds the plot; model i gets <see cref="ModelColours.Of"/>(i).</summary>
    public static Plot Build(IReadOnlyList<AgreementCurve> curves)
    {
        var plot = new Plot();
        plot.Title("Contrastive agreement accuracy by subject–verb distance");
        plot.XLabel("subject–verb distance d (tokens)");
        plot.YLabel("accuracy (Wilson 95% band)");
        double lowest = 0.4, farthest = 1;
        for (int i = 0; i < curves.Count; i++)
        {
            var curve = curves[i];
            var color = ModelColours.Of(i);
            var points = curve.Points.OrderBy(p => p.Distance).ToArray();
            if (points.Length == 0) continue;
            double[] xs = points.Select(p => (double)p.Distance).ToArray();
            var band = plot.Add.FillY(xs, points.Select(p => p.Low).ToArray(), points.Select(p => p.High).ToArray());
            band.FillColor = color.WithAlpha(0.18);
            band.LineWidth = 0;
            var line = plot.Add.ScatterLine(xs, points.Select(p => p.Accuracy).ToArray(), color);
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.LegendText = curve.Model;
            lowest = Math.Min(lowest, points.Min(p => p.Low));
            farthest = Math.Max(farthest, xs[^1]);
            if (curve.ReceptiveField is int field)
            {
                var marker = plot.Add.VerticalLine(field - 1, 1.5f, color, LinePattern.Dashed);
                marker.LegendText = $"{curve.Model}: receptive field {field} tokens (d ≤ {field - 1})";
                farthest = Math.Max(farthest, field - 1);
            }
        }
        var chance = plot.Add.HorizontalLine(0.5, 1, Colors.Gray, LinePattern.Dotted);
        chance.LegendText = "chance (50%)";
        plot.Axes.SetLimits(0, farthest * 1.04, Math.Max(0, lowest - 0.03), 1.02);
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    /// <summary>Builds and writes the figure to <paramref name="basePath"/>.png and .svg.</summary>
    public static SavedFigure Save(IReadOnlyList<AgreementCurve> curves, string basePath) => FigureFiles.Save(Build(curves), basePath, Width, Height);
}
