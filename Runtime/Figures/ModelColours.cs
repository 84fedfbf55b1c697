using ScottPlot;

namespace Composer.Figures;

/// <summary>One colour per model, the same in every figure of a comparison (Tableau's 10 categorical colours).</summary>
public static class ModelColours
{
    private static readonly Color[] Palette = new ScottPlot.Palettes.Category10().Colors;

    /// <summary>The colour of the <paramref name="index"/>-th model.</summary>
    public static Color Of(int index) => Palette[index % Palette.Length];
}
