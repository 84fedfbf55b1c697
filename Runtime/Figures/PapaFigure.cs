using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Composer.Probing;
using ScottPlot;

namespace Composer.Figures;

/// <summary>
/// PAPA's answer as a curve (its Figure 2): the probe's score against the number of heads that still
/// depend on the input, one curve per head order that was run on the same checkpoint (the ranked order,
/// and the random control when it was run), with the first report's relative drop at "no input-dependent
/// head left" marked.
/// </summary>
public static class PapaFigure
{
    /// <summary>Default size in pixels.</summary>
    public const int Width = 960, Height = 600;

    /// <summary>
    /// Builds the plot; report i gets <see cref="ModelColours.Of"/>(i). The reports belong to one model and
    /// checkpoint and differ in their order.
    /// </summary>
    /// <exception cref="ArgumentException">No report, or a report without fractions.</exception>
    public static Plot Build(IReadOnlyList<PapaReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0 || reports.Any(r => r.Fractions.Count == 0))
            throw new ArgumentException("the PAPA figure needs at least one report with evaluated fractions", nameof(reports));
        var first = reports[0];
        var plot = new Plot();
        plot.Title($"PAPA: {first.Model}, {first.ScoreName} as heads become constant");
        plot.XLabel($"input-dependent heads left (of {first.TotalHeads})");
        plot.YLabel(first.ScoreName);
        double lowest = 1;
        for (int i = 0; i < reports.Count; i++)
        {
            var report = reports[i];
            var points = report.Fractions.OrderByDescending(f => report.TotalHeads - f.ConstantHeads).ToArray();
            double[] xs = points.Select(f => (double)(report.TotalHeads - f.ConstantHeads)).ToArray();
            double[] ys = points.Select(f => f.Score).ToArray();
            var line = plot.Add.ScatterLine(xs, ys, ModelColours.Of(i));
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.LegendText = $"{report.Order} order ({report.Mode})";
            lowest = Math.Min(lowest, ys.Min());
        }
        // The unprobed score, and the drop when no head depends on the input any more.
        var full = first.Fractions.First(f => f.ConstantHeads == 0);
        var reference = plot.Add.HorizontalLine(full.Score, 1, Colors.Gray, LinePattern.Dashed);
        reference.LegendText = string.Create(CultureInfo.InvariantCulture, $"every head attending: {full.Score:P1}");
        if (first.Fractions.FirstOrDefault(f => f.ConstantHeads == first.TotalHeads) is { } none)
        {
            var drop = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"relative drop {none.RelativeDrop:P1}"), 0, none.Score);
            drop.LabelFontSize = 14;
            drop.LabelFontColor = ModelColours.Of(0);
            drop.Alignment = Alignment.LowerLeft;
        }
        plot.Axes.SetLimits(-0.5, first.TotalHeads + 0.5, Math.Max(0, lowest - 0.05), 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Builds and writes the figure to <paramref name="basePath"/>.png and .svg.</summary>
    public static SavedFigure Save(IReadOnlyList<PapaReport> reports, string basePath) =>
        FigureFiles.Save(Build(reports), basePath, Width, Height);
}
