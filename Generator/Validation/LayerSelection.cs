using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Composer.Generator.Validation
{
    /// <summary>
    /// The grammar of <c>Layers</c>: a comma-separated list of items, each an index (<c>2</c>,
    /// <c>^1</c>) or a half-open range with optional bounds (<c>0..4</c>, <c>4..</c>, <c>..2</c>,
    /// <c>^2..</c>), as C# indices and ranges read. <see cref="Parse"/> checks the text alone;
    /// <see cref="Resolve"/> checks it against a stack's depth. Both return what is wrong, or null.
    /// </summary>
    internal static class LayerSelection
    {
        /// <summary>A bound as written: <c>3</c> counts from the first layer, <c>^3</c> from the end.</summary>
        internal readonly struct Bound
        {
            public Bound(int value, bool fromEnd)
            {
                Value = value;
                FromEnd = fromEnd;
            }

            public int Value { get; }

            public bool FromEnd { get; }

            public int Resolve(int depth) => FromEnd ? depth - Value : Value;
        }

        internal sealed class Item
        {
            public Item(string text, Bound? start, Bound? end, bool isRange)
            {
                Text = text;
                Start = start;
                End = end;
                IsRange = isRange;
            }

            public string Text { get; }

            public Bound? Start { get; }

            public Bound? End { get; }

            public bool IsRange { get; }
        }

        public static string? Parse(string text, out List<Item> items)
        {
            items = new List<Item>();
            if (text.Trim().Length == 0)
            {
                return "it is empty; leave Layers unset to select every layer";
            }

            foreach (string raw in text.Split(','))
            {
                string item = raw.Trim();
                if (item.Length == 0)
                {
                    return "an item between commas is empty";
                }

                int dots = item.IndexOf("..", System.StringComparison.Ordinal);
                if (dots < 0)
                {
                    if (ParseBound(item) is not { } index)
                    {
                        return NotAnIndex(item);
                    }

                    items.Add(new Item(item, index, null, isRange: false));
                    continue;
                }

                string left = item.Substring(0, dots).Trim();
                string right = item.Substring(dots + 2).Trim();
                if (right.Contains(".."))
                {
                    return "'" + item + "' has more than one '..'";
                }

                Bound? start = null, end = null;
                if (left.Length > 0 && (start = ParseBound(left)) is null)
                {
                    return NotAnIndex(left);
                }

                if (right.Length > 0 && (end = ParseBound(right)) is null)
                {
                    return NotAnIndex(right);
                }

                // A range that parses but selects nothing ("3..3", "3..1") is well-formed: Resolve reports
                // it as not fitting the stack, as docs/diagnostics.md says (CMP0016), whatever the depth.
                items.Add(new Item(item, start, end, isRange: true));
            }

            return null;
        }

        public static string? Resolve(IReadOnlyList<Item> items, int depth, out List<int> layers)
        {
            layers = new List<int>();
            var seen = new HashSet<int>();
            foreach (Item item in items)
            {
                int first, end;
                if (!item.IsRange)
                {
                    Bound index = item.Start!.Value;
                    first = index.Resolve(depth);
                    if (index.FromEnd && index.Value == 0)
                    {
                        return "^0 is past the last layer (^1 is the last one)";
                    }

                    if (first < 0)
                    {
                        return "^" + Text.Invariant(index.Value) + " is before layer 0";
                    }

                    if (first >= depth)
                    {
                        return "there is no layer " + Text.Invariant(first) + (depth == 1 ? " (the only one is 0)" : " (they are 0 to " + Text.Invariant(depth - 1) + ")");
                    }

                    end = first + 1;
                }
                else
                {
                    first = item.Start?.Resolve(depth) ?? 0;
                    end = item.End?.Resolve(depth) ?? depth;
                    if (first < 0)
                    {
                        return "the range '" + item.Text + "' starts before layer 0";
                    }

                    if (end > depth)
                    {
                        return "the range '" + item.Text + "' runs past the last layer";
                    }

                    if (first >= end)
                    {
                        return "the range '" + item.Text + "' is empty";
                    }
                }

                for (int layer = first; layer < end; layer++)
                {
                    if (!seen.Add(layer))
                    {
                        return "layer " + Text.Invariant(layer) + " is selected twice";
                    }

                    layers.Add(layer);
                }
            }

            return null;
        }

        /// <summary>Layers as a Layers text that selects exactly them (<c>"0..4, 6"</c>), ready to paste.</summary>
        public static string Format(IEnumerable<int> layers)
        {
            var sorted = layers.Distinct().OrderBy(l => l).ToList();
            var text = new StringBuilder();
            for (int i = 0; i < sorted.Count;)
            {
                int j = i;
                while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
                {
                    j++;
                }

                if (text.Length > 0)
                {
                    text.Append(", ");
                }

                text.Append(Text.Invariant(sorted[i]));
                if (j > i)
                {
                    text.Append("..").Append(Text.Invariant(sorted[j] + 1));
                }

                i = j + 1;
            }

            return text.ToString();
        }

        private static Bound? ParseBound(string text)
        {
            bool fromEnd = text.StartsWith("^", System.StringComparison.Ordinal);
            string digits = fromEnd ? text.Substring(1).TrimStart() : text;
            return digits.Length > 0 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
                ? new Bound(value, fromEnd)
                : null;
        }

        private static string NotAnIndex(string text) =>
            "'" + text + "' is not a layer index (write 3, or ^1 for the last layer)";
    }
}
