using System;
using System.Collections.Generic;
using System.IO;
using System.Collections.Immutable;
using System.Linq;
using Composer.Generator.Parsing;
using Composer.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;
using Xunit.Abstractions;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// The generator reads most declarations from their syntax and the rest through the compiler. The
    /// compiler's reading is the reference: on every declaration of the test corpus, the generator as
    /// shipped must produce the same sources and the same diagnostics as a generator that reads
    /// everything through the compiler — and the syntactic path must actually be the one taken for
    /// ordinary declarations, or the equality proves nothing.
    /// </summary>
    public sealed class SyntacticReadingTests(ITestOutputHelper output)
    {
        private const int Seed = 20261121;

        [Fact]
        public void RandomDeclarationsReadTheSameEitherWay()
        {
            int syntactic = 0, semantic = 0;
            for (int i = 0; i < 400; i++)
            {
                string source = new RandomDeclarations(Seed + i).Next();
                var (fromSyntax, bySyntax, byCompiler) = Compare(($"Fuzz.cs", source));
                syntactic += bySyntax;
                semantic += byCompiler;
                Assert.True(fromSyntax.Same, $"case {i} (seed {Seed + i}) reads differently from syntax:\n{fromSyntax.Difference}\n{source}");
            }

            output.WriteLine($"400 random sources: {syntactic} declarations read from syntax, {semantic} through the compiler");

            // Both paths carry a real share of the corpus (broken syntax, user mixers and constants
            // such as int.MaxValue go to the compiler; the rest is read from syntax).
            Assert.True(syntactic > 100 && semantic > 100, $"{syntactic} declarations read from syntax, {semantic} through the compiler");
        }

        [Fact]
        public void EveryDocumentedExampleReadsTheSameEitherWay()
        {
            foreach (DiagnosticExample example in DiagnosticExample.All)
            {
                foreach (var (what, source) in new[] { ("bad", example.BadSource), ("fixed", example.FixedSource) })
                {
                    var (comparison, _, _) = Compare(example.Compile(source));
                    Assert.True(comparison.Same, $"{example.Id} ({what}) reads differently from syntax:\n{comparison.Difference}\n{source}");
                }
            }
        }

        [Fact]
        public void TheSamplesAreReadFromSyntaxAlone()
        {
            var files = Directory.GetFiles(Repository.SampleDeclarations, "*.cs")
                .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "sample-models", "Probes"), "*.cs"))
                .Select(path => (Path.GetFileName(path), File.ReadAllText(path)))
                .ToArray();
            var (comparison, bySyntax, byCompiler) = Compare(files);
            Assert.True(comparison.Same, comparison.Difference);
            Assert.Equal(0, byCompiler);
            Assert.True(bySyntax >= files.Length, $"{bySyntax} declarations read from syntax in {files.Length} files");
        }

        /// <summary>Declarations whose meaning the syntax alone cannot settle go to the compiler and come out right.</summary>
        [Theory]
        [InlineData("partial", """
            [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
            public partial class Lm;
            """, """
            [SelfAttention(Heads = 4)]
            public partial class Lm;
            """)]
        [InlineData("constant", """
            public static class Sizes { public const int Width = 64; }
            [LanguageModel(Vocabulary = 256, Width = Sizes.Width, Depth = 2)]
            [SelfAttention(Heads = 4)]
            public partial class Lm;
            """, "")]
        [InlineData("alias", """
            using Attention = Composer.SelfAttentionAttribute;
            [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
            [Attention(Heads = 4)]
            public partial class Lm;
            """, "")]
        [InlineData("shadowing enum", """
            namespace Lab
            {
                public enum Activation { Gelu, Relu }
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, Activation = Activation.Relu)]
                [SelfAttention(Heads = 4)]
                public partial class Lm;
            }
            """, "")]
        [InlineData("global using", """
            [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
            [SelfAttention(Heads = 4)]
            public partial class Lm;
            """, "global using Composer;")]
        [InlineData("not imported", """
            namespace Lab
            {
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention(Heads = 4)]
                public partial class Lm;
            }
            """, "")]
        [InlineData("generic outer", """
            public partial class Outer<T>
            {
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention(Heads = 4)]
                public partial class Lm;
            }
            """, "")]
        [InlineData("user mixer", """
            [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
            [Mixer<Composer.Mixers.SelfAttention>]
            public partial class Lm;
            """, "")]
        public void WhatTheSyntaxCannotSettleIsReadThroughTheCompiler(string what, string first, string second)
        {
            bool imports = what != "global using" && what != "not imported";
            var files = new List<(string, string)> { ("First.cs", (imports ? "using Composer;\n" : string.Empty) + first) };
            if (second.Length > 0)
            {
                files.Add(("Second.cs", (imports ? "using Composer;\n" : string.Empty) + second));
            }

            var (comparison, bySyntax, byCompiler) = Compare(files.ToArray());
            Assert.True(comparison.Same, $"{what}: {comparison.Difference}");
            if (what == "global using")
            {
                // A global using is seen by the index, so the declaration still reads from syntax.
                Assert.Equal((1, 0), (bySyntax, byCompiler));
            }
            else
            {
                Assert.Equal(0, bySyntax);
                Assert.True(byCompiler > 0, $"{what}: nothing was read through the compiler");
            }
        }

        /// <summary>
        /// Runs the generator as shipped and one that reads every declaration through the compiler over
        /// the same sources; returns whether sources and diagnostics agree, and how many declarations
        /// the shipped generator read each way.
        /// </summary>
        private static ((bool Same, string Difference) Comparison, int BySyntax, int ByCompiler) Compare(params (string Path, string Text)[] sources) =>
            Compare(GeneratorHarness.Compile(sources));

        private static ((bool Same, string Difference) Comparison, int BySyntax, int ByCompiler) Compare(Compilation compilation)
        {
            GeneratorRunResult shipped = GeneratorHarness.CreateDriver(new ModelGenerator()).RunGenerators(compilation).GetRunResult().Results.Single();
            GeneratorRunResult reference = GeneratorHarness.CreateDriver(new ModelGenerator(readThroughCompiler: true), trackSteps: false).RunGenerators(compilation).GetRunResult().Results.Single();
            Assert.Null(shipped.Exception);
            Assert.Null(reference.Exception);

            var resolutions = Resolutions(compilation);
            string actual = Render(shipped), expected = Render(reference);
            string difference = actual == expected ? string.Empty : $"--- read through the compiler\n{expected}\n--- read from syntax\n{actual}";
            return ((actual == expected, difference), resolutions.Count(r => !r.Semantic), resolutions.Count(r => r.Semantic));
        }

        /// <summary>How the shipped generator's first stages judge each attributed declaration (computed
        /// directly: Roslyn reports no steps for a run that produced nothing).</summary>
        private static List<Resolution> Resolutions(Compilation compilation)
        {
            var nodes = compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodesAndSelf()).ToList();
            var index = DeclarationIndex.Build(
                nodes.Where(n => DeclarationIndex.IsIndexed(n, default)).Select(DeclarationIndex.Read).ToImmutableArray(),
                default);
            return nodes
                .Where(n => DeclarationScanner.IsAttributedType(n, default))
                .Select(n => DeclarationScanner.Resolve(DeclarationScanner.Scan((TypeDeclarationSyntax)n), index))
                .Where(r => r is not null)
                .Select(r => r!)
                .ToList();
        }

        private static string Render(GeneratorRunResult result) =>
            string.Join("\n", result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => "// " + s.HintName + "\n" + s.SourceText))
            + "\n// diagnostics\n"
            + DiagnosticRenderer.Render(result.Diagnostics
                .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .ThenBy(d => d.Id, StringComparer.Ordinal));
    }
}
