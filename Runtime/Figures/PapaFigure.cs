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
    /// The colour of an order's curve: fixed per order, so that the ranked curve and the random control keep
    /// their colours whichever of them was run last.
    /// </summary>
    public static Color ColourOf(string order) => ModelColours.Of(order switch
    {
        "divergence" => 0,
        "gate" => 1,
        "random" => 2,
        _ => 3,
    });

    /// <summary>
    /// Builds the plot, one curve per report in <see cref="ColourOf"/> its order. The reports belong to one
    /// model and checkpoint and differ in their order.
    /// </summary>
    /// <exception cref="ArgumentException">No report, or a report without fractions.</exception>
    public static Plot Build(IReadOnlyList<PapaReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0 || reports.Any(r => r.Fractions.Count == 0))
            throw new ArgumentException("the PAPA figure needs at least one report with evaluated fractions", nameof(reports));
        var first = reports[0];
        var plot = new Plot();
        plot.Title($"PAPA: {first.Model}, heads replaced by constant matrices");
        plot.XLabel($"input-dependent heads left (of {first.TotalHeads})");
        plot.YLabel(first.ScoreName);
        double lowest = 1;
        // Ranked orders first and the random control last, so the legend reads in that order too.
        foreach (var report in reports.OrderBy(r => r.Order == "random"))
        {
            var points = report.Fractions.OrderByDescending(f => report.TotalHeads - f.ConstantHeads).ToArray();
            double[] xs = points.Select(f => (double)(report.TotalHeads - f.ConstantHeads)).ToArray();
            double[] ys = points.Select(f => f.Score).ToArray();
            var line = plot.Add.ScatterLine(xs, ys, ColourOf(report.Order));
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
        // The drop is marked by a ring on the point where no head depends on the input, and stated in the
        // legend: text inside the plot area would cross the curves, which start from that same point.
        if (first.Fractions.FirstOrDefault(f => f.ConstantHeads == first.TotalHeads) is { } none)
        {
            var ring = plot.Add.Marker(0, none.Score, MarkerShape.OpenCircle, 18, Colors.Black);
            ring.LegendText = string.Create(CultureInfo.InvariantCulture, $"no input-dependent head: relative drop {none.RelativeDrop:P1}");
        }
        plot.Axes.SetLimits(-0.5, first.TotalHeads + 0.5, Math.Max(0, lowest - 0.05), 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Builds and writes the figure to <paramref name="basePath"/>.png and .svg.</summary>
    public static SavedFigure Save(IReadOnlyList<PapaReport> reports, string basePath) =>
        FigureFiles.Save(Build(reports), basePath, Width, Height);
}
