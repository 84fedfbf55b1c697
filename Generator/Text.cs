using System;
using System.Globalization;

namespace Composer.Generator
{
    /// <summary>Formatting that never depends on the machine's culture, so messages and generated
    /// source are the same everywhere.</summary>
    internal static class Text
    {
        public static string Invariant(object? value) => value switch
        {
            null => "null",
            string s => s,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };

        /// <summary>A count with its noun in agreement: <c>1 layer</c>, <c>2 layers</c> (the plural adds an s).</summary>
        public static string Count(long count, string noun) => Invariant(count) + " " + (count == 1 ? noun : noun + "s");
    }
}
