using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Composer.Figures;
using SkiaSharp;
using Xunit;

namespace Composer.Tests.Figures;

/// <summary>What every figure file must be: a PNG and an SVG of the stated size, with something drawn in the data area.</summary>
public static class FigureChecks
{
    /// <summary>
    /// The PNG's IHDR says the size and the image decodes to it; the SVG's root says the same size; in the
    /// data area at least 1% of the pixels are not the background and there are several colours.
    /// Returns the decoded PNG.
    /// </summary>
    public static SKBitmap Check(SavedFigure figure, int width, int height)
    {
        Assert.Equal((width, height), (figure.Width, figure.Height));
        var bytes = File.ReadAllBytes(figure.Png);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), $"{figure.Png} is not a PNG");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        var bitmap = SKBitmap.Decode(bytes) ?? throw new Xunit.Sdk.XunitException($"{figure.Png} does not decode");
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));

        var svg = XDocument.Load(figure.Svg).Root!;
        Assert.Equal("svg", svg.Name.LocalName);
        Assert.Equal(width, (int)Math.Round(double.Parse(svg.Attribute("width")!.Value.Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(height, (int)Math.Round(double.Parse(svg.Attribute("height")!.Value.Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture)));

        var area = figure.DataArea;
        Assert.True(area.Width > 50 && area.Height > 50, $"data area {area} is too small");
        var background = bitmap.GetPixel((int)area.Left + 1, (int)area.Top + 1);
        int drawn = 0, total = 0;
        var colours = new System.Collections.Generic.HashSet<SKColor>();
        for (int y = (int)area.Top + 2; y < (int)area.Bottom - 2; y++)
            for (int x = (int)area.Left + 2; x < (int)area.Right - 2; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                total++;
                if (pixel != background) drawn++;
                if (colours.Count < 64) colours.Add(pixel);
            }
        Assert.True(drawn > total / 100, $"{figure.Png}: only {drawn} of {total} data-area pixels are drawn");
        Assert.True(colours.Count >= 3, $"{figure.Png}: the data area has {colours.Count} colours");
        return bitmap;
    }

    /// <summary>
    /// Rows of column <paramref name="x"/> whose colour is within <paramref name="tolerance"/> (per channel)
    /// of <paramref name="colour"/>, inside the data area.
    /// </summary>
    public static int[] RowsOfColour(SKBitmap bitmap, SavedFigure figure, int x, SKColor colour, int tolerance = 40) =>
        Enumerable.Range((int)figure.DataArea.Top, (int)figure.DataArea.Height).Where(y =>
        {
            var p = bitmap.GetPixel(x, y);
            return Math.Abs(p.Red - colour.Red) <= tolerance && Math.Abs(p.Green - colour.Green) <= tolerance && Math.Abs(p.Blue - colour.Blue) <= tolerance;
        }).ToArray();

    /// <summary>The pixel column of data coordinate <paramref name="x"/>, from the data area and the axis limits.</summary>
    public static int PixelX(SavedFigure f, double x) =>
        (int)Math.Round(f.DataArea.Left + (x - f.Limits.Left) / (f.Limits.Right - f.Limits.Left) * f.DataArea.Width);

    /// <summary>The pixel row of data coordinate <paramref name="y"/> (y grows upwards in data, downwards in pixels).</summary>
    public static double PixelY(SavedFigure f, double y) =>
        f.DataArea.Top + (f.Limits.Top - y) / (f.Limits.Top - f.Limits.Bottom) * f.DataArea.Height;
}
