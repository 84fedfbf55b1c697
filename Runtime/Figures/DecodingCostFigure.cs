using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace Composer.Figures;

/// <summary>One model's decoding cost: milliseconds for the step at each position 0, 1, 2, ….</summary>
/// <param name="Model">Model name.</param>
/// <param name="MillisecondsPerToken">Time of the step that fed position t, for t = 0 … T − 1.</param>
public sealed record DecodingCost(string Model, IReadOnlyList<double> MillisecondsPerToken);

/// <summary>Milliseconds per decoded token against position, one line per model (B = 1).</summary>
public static class DecodingCostFigure
{
    /// <summary>Default size in pixels.</summary>
    public const int Width = 960, Height = 600;

    /// <summary>Builds the plot; model i gets <see cref="ModelColours.Of"/>(i).</summary>
    public static Plot Build(IReadOnlyList<DecodingCost> costs, string title)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("position of the decoded token");
        plot.YLabel("ms per token");
        for (int i = 0; i < costs.Count; i++)
        {
            var cost = costs[i];
            var line = plot.Add.ScatterLine(Enumerable.Range(0, cost.MillisecondsPerToken.Count).Select(t => (double)t).ToArray(),
                cost.MillisecondsPerToken.ToArray(), ModelColours.Of(i));
            line.LineWidth = 1.5f;
            line.LegendText = cost.Model;
        }
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>Builds and writes the figure to <paramref name="basePath"/>.png and .svg.</summary>
    public static SavedFigure Save(IReadOnlyList<DecodingCost> costs, string title, string basePath) =>
        FigureFiles.Save(Build(costs, title), basePath, Width, Height);
}
