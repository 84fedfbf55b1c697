using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace Composer.Figures;

/// <summary>One heatmap of <see cref="AttentionFigure"/>: a head's weights with the tokens on the axes.</summary>
/// <param name="Layer">Which row of the grid it belongs to (one per mixer), e.g. "layers.1.mixer".</param>
/// <param name="Title">Caption, e.g. "layers.1.mixer · head 2 · softmax weights".</param>
/// <param name="Weights">[query t, key s] weights.</param>
/// <param name="Rows">Token of each query position (left axis, top to bottom).</param>
/// <param name="Columns">Token of each key position (bottom axis).</param>
public sealed record AttentionPanel(string Layer, string Title, float[,] Weights, IReadOnlyList<string> Rows, IReadOnlyList<string> Columns);

/// <summary>
/// A grid of heatmaps, one row per mixer (wrapped after <see cref="MaxColumns"/> heads) and one panel per
/// head: cell (t, s) is the weight query t gives position s, darkest at the panel's largest weight.
/// </summary>
public static class AttentionFigure
{
    /// <summary>Pixels of one panel.</summary>
    public const int PanelSize = 320;

    /// <summary>Most panels side by side.</summary>
    public const int MaxColumns = 8;

    /// <summary>Where each panel goes: (grid row, grid column) per panel, and the grid's size.</summary>
    public static (List<(int Row, int Column)> Cells, int Rows, int Columns) Layout(IReadOnlyList<AttentionPanel> panels)
    {
        int columns = Math.Min(MaxColumns, panels.GroupBy(p => p.Layer).Max(g => g.Count()));
        var cells = new List<(int, int)>();
        int row = 0;
        foreach (var layer in panels.GroupBy(p => p.Layer))
        {
            int i = 0;
            foreach (var _ in layer) { cells.Add((row + i / columns, i % columns)); i++; }
            row += (i + columns - 1) / columns;
        }
        return (cells, row, columns);
    }

    /// <summary>The heatmap of one panel.</summary>
    public static Plot Panel(AttentionPanel panel)
    {
        int rows = panel.Weights.GetLength(0), columns = panel.Weights.GetLength(1);
        var values = new double[rows, columns];
        double largest = 0;
        for (int t = 0; t < rows; t++)
            for (int s = 0; s < columns; s++) largest = Math.Max(largest, Math.Abs(values[t, s] = panel.Weights[t, s]));
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(0, columns, 0, rows);
        heatmap.ManualRange = new ScottPlot.Range(values.Cast<double>().Min() < 0 ? -largest : 0, Math.Max(largest, 1e-12));
        plot.Title(panel.Title, size: 11);
        int every = Math.Max(1, (Math.Max(rows, columns) + 23) / 24);   // at most ~24 labels an axis
        plot.Axes.Bottom.SetTicks(
            Enumerable.Range(0, columns).Where(s => s % every == 0).Select(s => s + 0.5).ToArray(),
            Enumerable.Range(0, columns).Where(s => s % every == 0).Select(s => panel.Columns[s]).ToArray());
        plot.Axes.Left.SetTicks(
            Enumerable.Range(0, rows).Where(t => t % every == 0).Select(t => rows - 1 - t + 0.5).ToArray(),
            Enumerable.Range(0, rows).Where(t => t % every == 0).Select(t => panel.Rows[t]).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 9;
        // The layout does not measure rotated labels: leave room for the longest one.
        plot.Axes.Bottom.MinimumSize = 14 + 6 * panel.Columns.Max(c => c.Length);
        plot.Axes.Left.TickLabelStyle.FontSize = 9;
        plot.Axes.Bottom.MajorTickStyle.Length = 2;
        plot.Axes.Left.MajorTickStyle.Length = 2;
        plot.Axes.Bottom.MinorTickStyle.Length = 0;
        plot.Axes.Left.MinorTickStyle.Length = 0;
        plot.Grid.IsVisible = false;
        plot.Axes.SetLimits(0, columns, 0, rows);
        return plot;
    }

    /// <summary>Draws the grid into <paramref name="basePath"/>.png and .svg.</summary>
    /// <exception cref="ArgumentException">There is no panel.</exception>
    public static SavedFigure Save(IReadOnlyList<AttentionPanel> panels, string basePath)
    {
        if (panels.Count == 0) throw new ArgumentException("an attention figure needs at least one panel", nameof(panels));
        var (cells, rows, columns) = Layout(panels);
        var plots = panels.Select(Panel).ToList();
        int width = columns * PanelSize, height = rows * PanelSize;
        return FigureFiles.SaveComposite(basePath, width, height, plots[0], canvas =>
        {
            for (int i = 0; i < plots.Count; i++)
            {
                var (row, column) = cells[i];
                // A plot clears what it renders into: clipped, it clears its own cell only.
                canvas.Save();
                canvas.ClipRect(new SkiaSharp.SKRect(column * PanelSize, row * PanelSize, (column + 1) * PanelSize, (row + 1) * PanelSize));
                plots[i].Render(canvas, new PixelRect(column * PanelSize, (column + 1) * PanelSize, (row + 1) * PanelSize, row * PanelSize));
                canvas.Restore();
            }
        });
    }
}
