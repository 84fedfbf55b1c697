using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Composer.Cli;

/// <summary>A plain-text table (first column left-aligned, the rest right-aligned) that reads the same on a terminal and in a log.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"a row needs {headers.Length} cells, got {cells.Length}");
        _rows.Add(cells);
    }

    public void Write(TextWriter output, bool header = true)
    {
        var all = header ? _rows.Prepend(headers).ToList() : _rows;
        var widths = Enumerable.Range(0, headers.Length).Select(i => all.Count == 0 ? 0 : all.Max(r => r[i].Length)).ToArray();
        string Line(string[] row) => string.Join("  ", row.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        if (header)
        {
            output.WriteLine(Line(headers));
            output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        foreach (var row in _rows) output.WriteLine(Line(row));
    }
}
