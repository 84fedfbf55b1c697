using System;
using System.Globalization;

namespace Composer.Data.Tasks;

/// <summary>An inclusive range of whole numbers, e.g. lengths 1..20; parsed from "1..20" or "7".</summary>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value (included).</param>
public readonly record struct IntRange(int Min, int Max)
{
    /// <summary>Parses "MIN..MAX" or a single number.</summary>
    /// <exception cref="FormatException">Not of that form, or MIN &gt; MAX.</exception>
    public static IntRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split("..");
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int min)
            && int.TryParse(parts[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int max)
            && min <= max)
            return new IntRange(min, max);
        throw new FormatException($"'{text}' is not a range; write MIN..MAX (e.g. 1..20) or a single number");
    }

    /// <summary>"MIN..MAX", or the number when both are equal.</summary>
    public override string ToString() => Min == Max
        ? Min.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Min}..{Max}");
}
