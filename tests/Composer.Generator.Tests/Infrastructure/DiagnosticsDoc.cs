using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Composer.Generator.Tests.Infrastructure
{
    /// <summary>
    /// The examples of docs/diagnostics.md, which double as the diagnostic test cases: each section
    /// has an anchor <c>&lt;a id="cmpNNNN"&gt;</c>, a line <c>Reported at `…`:</c> naming the text the
    /// diagnostic underlines, a bad example and a fixed one.
    /// </summary>
    internal sealed record DiagnosticExample(string Id, string Bad, string Fixed, string At, string? Within, int Occurrence)
    {
        private const string Prelude = "using Composer;\nusing Composer.Layers;\nusing Composer.Mixers;\nusing TorchSharp;\nusing static TorchSharp.torch;\n\n";

        /// <summary>Examples containing this text are compiled without Composer.Runtime.</summary>
        private const string WithoutRuntime = "Composer.Runtime is not referenced";

        /// <summary>Examples containing this text are compiled against a stand-in for an older Composer.Runtime.</summary>
        private const string OlderRuntime = "an older Composer.Runtime";

        public const string FileName = "Example.cs";

        private static readonly Lazy<IReadOnlyList<DiagnosticExample>> Examples = new Lazy<IReadOnlyList<DiagnosticExample>>(Load);

        public static IReadOnlyList<DiagnosticExample> All => Examples.Value;

        public static DiagnosticExample Get(string id) => All.Single(e => e.Id == id);

        public string BadSource => PreludeFor(Bad) + Bad + "\n";

        public string FixedSource => PreludeFor(Fixed) + Fixed + "\n";

        /// <summary>The runtime namespaces exist only where the runtime is referenced.</summary>
        private static string PreludeFor(string example) =>
            example.Contains(WithoutRuntime, StringComparison.Ordinal) ? "using Composer;\n\n" : Prelude;

        public Compilation Compile(string source)
        {
            // Training-executable examples build programs (the generator emits their Main), except the
            // one that shows a library.
            bool executable = source.Contains("[assembly: TrainingExecutable", StringComparison.Ordinal)
                && !source.Contains("In a class library", StringComparison.Ordinal);
            bool runtime = !source.Contains(WithoutRuntime, StringComparison.Ordinal);
            if (source.Contains(OlderRuntime, StringComparison.Ordinal))
            {
                return GeneratorHarness.CompileAgainstOlderRuntime(executable ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, (FileName, source));
            }
            return GeneratorHarness.Compile(executable ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, runtime, (FileName, source));
        }

        /// <summary>The span the bad example's diagnostic must cover.</summary>
        public TextSpan ExpectedSpan()
        {
            string source = BadSource;
            int offset = 0;
            if (Within is not null)
            {
                offset = Single(source, Within, 0, 1);
            }

            int start = Single(source, At, offset, Occurrence);
            return new TextSpan(start, At.Length);
        }

        private static int Single(string text, string part, int from, int occurrence)
        {
            var found = new List<int>();
            for (int i = text.IndexOf(part, from, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
            {
                found.Add(i);
            }

            if (found.Count < occurrence || (occurrence == 1 && found.Count != 1))
            {
                throw new InvalidOperationException($"'{part}' occurs {found.Count} times; the docs must name a unique place.");
            }

            return found[occurrence - 1];
        }

        private static IReadOnlyList<DiagnosticExample> Load()
        {
            string text = File.ReadAllText(Repository.DiagnosticsDoc).Replace("\r\n", "\n", StringComparison.Ordinal);
            var examples = new List<DiagnosticExample>();
            var anchor = new Regex("<a id=\"cmp(\\d{4})\"></a>");
            var reported = new Regex("Reported at (?:the (first|second|third) )?`([^`]+)`(?: in `([^`]+)`)?:");
            var code = new Regex("```csharp\n(.*?)```", RegexOptions.Singleline);
            MatchCollection anchors = anchor.Matches(text);
            for (int i = 0; i < anchors.Count; i++)
            {
                int end = i + 1 < anchors.Count ? anchors[i + 1].Index : text.Length;
                string section = text.Substring(anchors[i].Index, end - anchors[i].Index);
                Match at = reported.Match(section);
                MatchCollection blocks = code.Matches(section);
                if (!at.Success || blocks.Count != 2)
                {
                    throw new InvalidOperationException($"Section CMP{anchors[i].Groups[1].Value} needs a 'Reported at' line and two csharp blocks.");
                }

                int occurrence = at.Groups[1].Value switch { "second" => 2, "third" => 3, _ => 1 };
                examples.Add(new DiagnosticExample(
                    "CMP" + anchors[i].Groups[1].Value,
                    blocks[0].Groups[1].Value.TrimEnd('\n'),
                    blocks[1].Groups[1].Value.TrimEnd('\n'),
                    at.Groups[2].Value,
                    at.Groups[3].Success ? at.Groups[3].Value : null,
                    occurrence));
            }

            return examples;
        }
    }
}
