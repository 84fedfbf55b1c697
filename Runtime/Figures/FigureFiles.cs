using System;
using System.IO;
using System.Linq;
using ScottPlot;
using SkiaSharp;

namespace Composer.Figures;

/// <summary>Writes figures as PNG and SVG side by side (<c>name.png</c>, <c>name.svg</c>).</summary>
public static class FigureFiles
{
    /// <summary>
    /// Renders <paramref name="plot"/> at <paramref name="width"/> × <paramref name="height"/> into
    /// <paramref name="basePath"/>.png and .svg.
    /// </summary>
    /// <exception cref="IOException">A file cannot be written (the message names it).</exception>
    public static SavedFigure Save(Plot plot, string basePath, int width, int height)
    {
        string png = basePath + ".png", svg = basePath + ".svg";
        Write(png, () => plot.SavePng(png, width, height));
        var render = plot.LastRender;
        Write(svg, () => SaveSvgWithSolidLines(plot, svg, width, height));
        return new SavedFigure(png, svg, width, height, render.DataRect, render.AxisLimits);
    }

    /// <summary>
    /// Skia's SVG backend has no path effects: it draws a dashed or dotted line solid anyway and prints
    /// "Unsupported path effect in addPaint." on the process's standard output for each one, into the
    /// user's tables. So the SVG draws those lines solid on purpose (the PNG keeps the pattern), and the
    /// plot is left as it was.
    /// </summary>
    private static void SaveSvgWithSolidLines(Plot plot, string svg, int width, int height)
    {
        var patterned = plot.GetPlottables().OfType<IHasLine>().Where(p => !p.LinePattern.Equals(LinePattern.Solid))
            .Select(p => (Plottable: p, Pattern: p.LinePattern)).ToList();
        foreach (var (p, _) in patterned) p.LinePattern = LinePattern.Solid;
        try
        {
            plot.SaveSvg(svg, width, height);
        }
        finally
        {
            foreach (var (p, pattern) in patterned) p.LinePattern = pattern;
        }
    }

    /// <summary>
    /// Draws a figure made of several plots (<paramref name="draw"/> renders them onto the canvas) into
    /// <paramref name="basePath"/>.png and .svg; returns the data area of <paramref name="first"/> as
    /// rendered into the PNG.
    /// </summary>
    public static SavedFigure SaveComposite(string basePath, int width, int height, Plot first, Action<SKCanvas> draw)
    {
        string png = basePath + ".png", svg = basePath + ".svg";
        Write(png, () =>
        {
            using var surface = SKSurface.Create(new SKImageInfo(width, height)) ?? throw new IOException($"cannot make a {width}×{height} image for {png}");
            surface.Canvas.Clear(SKColors.White);
            draw(surface.Canvas);
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            using var file = File.Create(png);
            data.SaveTo(file);
        });
        var render = first.LastRender;
        Write(svg, () =>
        {
            using var file = File.Create(svg);
            using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), file))
            {
                canvas.Clear(SKColors.White);
                draw(canvas);
            }
        });
        return new SavedFigure(png, svg, width, height, render.DataRect, render.AxisLimits);
    }

    /// <summary>Creates <paramref name="folder"/> and checks that a file can be written in it, before any work is spent on a figure.</summary>
    /// <exception cref="IOException">The folder cannot be created or written; the message says which and why.</exception>
    public static void EnsureWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".write-check-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write figures to '{folder}' ({Reason(e)}); choose a writable folder", e);
        }
    }

    private static void Write(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write the figure '{path}' ({Reason(e)}); choose a writable folder", e);
        }
    }

    private static string Reason(Exception e) => e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.');
}
