using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Composer.Generator.Tests.Infrastructure
{
    /// <summary>Renders diagnostics for a <c>.verified.txt</c> snapshot: id, severity, file and span,
    /// the invariant message, and the source line with the span underlined.</summary>
    internal static class DiagnosticRenderer
    {
        public static string Render(IEnumerable<Diagnostic> diagnostics)
        {
            var text = new StringBuilder();
            foreach (Diagnostic diagnostic in diagnostics)
            {
                FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
                text.Append(diagnostic.Id).Append(' ').Append(diagnostic.Severity).Append(' ')
                    .Append(System.IO.Path.GetFileName(span.Path))
                    .Append(string.Format(CultureInfo.InvariantCulture, "({0},{1})-({2},{3})",
                        span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1,
                        span.EndLinePosition.Line + 1, span.EndLinePosition.Character + 1))
                    .Append(": ").Append(diagnostic.GetMessage(CultureInfo.InvariantCulture)).Append('\n');

                if (diagnostic.Location.SourceTree is { } tree)
                {
                    var line = tree.GetText().Lines[span.StartLinePosition.Line];
                    string source = line.ToString();
                    int start = span.StartLinePosition.Character;
                    int end = span.EndLinePosition.Line == span.StartLinePosition.Line ? span.EndLinePosition.Character : source.Length;
                    text.Append("    ").Append(source).Append('\n');
                    text.Append("    ").Append(new string(' ', start)).Append(new string('^', System.Math.Max(1, end - start))).Append('\n');
                }
            }

            return text.ToString();
        }

        /// <summary>One line per diagnostic, for assertion messages.</summary>
        public static string Summary(IEnumerable<Diagnostic> diagnostics) =>
            string.Join("\n", diagnostics.Select(d => d.ToString()));
    }
}
