using ScottPlot;

namespace Composer.Figures;

/// <summary>A figure written as PNG and SVG of the same size, and where its data area lies in the PNG.</summary>
/// <param name="Png">Path of the PNG.</param>
/// <param name="Svg">Path of the SVG.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="DataArea">The pixels of the (first) plot's data area, as last rendered.</param>
/// <param name="Limits">The axis limits of that data area.</param>
public sealed record SavedFigure(string Png, string Svg, int Width, int Height, PixelRect DataArea, AxisLimits Limits);
