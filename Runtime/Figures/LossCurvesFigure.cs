using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace Composer.Figures;

/// <summary>
/// Training and validation loss of every model on one chart, by update: training loss as a thin line,
/// validation loss dashed with markers at each evaluation, both in the model's colour.
/// </summary>
public static class LossCurvesFigure
{
    /// <summary>Default size in pixels.</summary>
    public const int Width = 960, Height = 600;

    /// <summary>Builds the plot; model i gets <see cref="ModelColours.Of"/>(i).</summary>
    public static Plot Build(IReadOnlyList<TrainingCurves> runs)
    {
        var plot = new Plot();
        plot.Title("Training and validation loss");
        plot.XLabel("update");
        plot.YLabel("loss per target (nats)");
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var color = ModelColours.Of(i);
            if (run.Training.Count > 0)
            {
                var train = plot.Add.ScatterLine(run.Training.Select(p => (double)p.Step).ToArray(), run.Training.Select(p => p.Loss).ToArray(), color.WithAlpha(0.75));
                train.LineWidth = 1;
                train.LegendText = $"{run.Model} training";
            }
            if (run.Validation.Count > 0)
            {
                var validation = plot.Add.Scatter(run.Validation.Select(p => (double)p.Step).ToArray(), run.Validation.Select(p => p.Loss).ToArray(), color);
                validation.LineWidth = 2;
                validation.LinePattern = LinePattern.Dashed;
                validation.MarkerSize = 7;
                validation.MarkerShape = MarkerShape.FilledSquare;
                validation.LegendText = $"{run.Model} validation";
            }
        }
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsY(0, limits.Top);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Builds and writes the figure to <paramref name="basePath"/>.png and .svg.</summary>
    public static SavedFigure Save(IReadOnlyList<TrainingCurves> runs, string basePath) => FigureFiles.Save(Build(runs), basePath, Width, Height);
}
