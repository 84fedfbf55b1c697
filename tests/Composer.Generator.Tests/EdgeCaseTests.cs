using System.Collections.Generic;
using System.Linq;
using Composer.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// Declarations beyond the one-id examples of the docs: encoder–decoder stacks, per-layer and
    /// cross mixers, user mixers with and without the Runtime, classifiers, several findings at once.
    /// Each case lists exactly the diagnostics it expects (id and underlined text) and pins the full
    /// rendering in a snapshot.
    /// </summary>
    public sealed class EdgeCaseTests
    {
        internal static readonly Dictionary<string, (string Source, (string Id, string At)[] Expected)> Cases = new()
        {
            ["DefaultCrossMixerHeads"] = ("""
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 100)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [Recurrent(Bidirectional = true)]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [Recurrent]
                    public partial class Target;
                }
                """, new[] { ("CMP0013", "Decoder") }),
            ["PartialCrossCoverage"] = ("""
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [SelfAttention]
                    public partial class Source;

                    [Decoder(Depth = 3)]
                    [SelfAttention]
                    [SelfAttention(Cross = true, Layers = "0")]
                    [SparsemaxAttention(Cross = true, Layers = "^1")]
                    public partial class Target;
                }
                """, new[] { ("CMP0018", "Decoder") }),
            ["BidirectionalDecoder"] = ("""
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [Recurrent(Bidirectional = true, Cell = RecurrentCell.Gru)]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [Recurrent(Bidirectional = true)]
                    public partial class Target;
                }
                """, new[] { ("CMP0023", "Bidirectional = true)]\n        public partial class Target") }),
            ["NestedStackNotPartial"] = ("""
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [SelfAttention]
                    public class Source;

                    [Decoder(Depth = 2)]
                    [SelfAttention]
                    public partial class Target;
                }
                """, new[] { ("CMP0001", "Source") }),
            ["ModelInNonPartialOuterClass"] = ("""
                public static class Models
                {
                    [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                    [SelfAttention]
                    public partial class TinyLm;
                }
                """, new[] { ("CMP0001", "Models") }),
            ["CollectionExpressionKernels"] = ("""
                [Classifier(Vocabulary = 256, Classes = 3, Width = 64, Depth = 3, MaxLength = 64)]
                [LightweightConvolution(Layers = "..2", Kernels = [3, -5])]
                [DynamicConvolution(Layers = "2", Kernels = [6])]
                public partial class ConvClassifier;
                """, new[] { ("CMP0020", "-5"), ("CMP0021", "6") }),
            ["CentredReceptiveField"] = ("""
                [Classifier(Vocabulary = 256, Classes = 3, Width = 64, Depth = 3, MaxLength = 64)]
                [LightweightConvolution(Layers = "..2", Kernels = [3, 5])]
                [DynamicConvolution(Layers = "2", Kernels = [7])]
                public partial class ConvClassifier;
                """, new[] { ("CMP0028", "Classifier") }),
            ["OneFindingPerMistake"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 0, Depth = 3, Positions = PositionalEncoding.Learned)]
                [SelfAttention(Heads = 0, Layers = "0..9")]
                [Linformer(Layers = "..1")]
                public partial class Broken;
                """, new[] { ("CMP0009", "Width = 0"), ("CMP0009", "Heads = 0"), ("CMP0016", "Layers = \"0..9\""), ("CMP0023", "Linformer"), ("CMP0026", "Positions = PositionalEncoding.Learned"), ("CMP0026", "Linformer") }),
            ["TwoModelKindsReportOnce"] = ("""
                [Classifier(Vocabulary = 256, Classes = 2, Width = 64, Depth = 2)]
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                [SelfAttention]
                public partial class Confused;
                """, new[] { ("CMP0004", "Seq2Seq"), ("CMP0004", "Classifier") }),
            ["UserMixerWithoutRuntime"] = ("""
                namespace Lab
                {
                    public sealed class MixerContext { }

                    public sealed class ShapeOnly { public ShapeOnly(MixerContext context) { } }

                    public sealed class WrongShape { public WrongShape(int width) { } }
                }

                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Mixer<Lab.ShapeOnly>(Layers = "0")]
                [Mixer<Lab.WrongShape>(Layers = "1")]
                public partial class LabLm;
                """, new[] { ("CMP0030", "Lab.WrongShape"), ("CMP0038", "LabLm") }),
            ["UserMixersAcrossLayers"] = ("""
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [Mixer<Lab.GatedMixer>]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [Mixer<Lab.GatedMixer>(Layers = "0")]
                    [SelfAttention(Layers = "1")]
                    [Mixer<Lab.GatedMixer>(Cross = true)]
                    public partial class Target;
                }
                """ + UserMixers.Gated, new (string, string)[0]),
            ["MixerOnPlainClass"] = ("""
                [LightweightConvolution(Kernels = [3])]
                [Mixer<Helper>]
                public partial class Helper;
                """, new[] { ("CMP0007", "LightweightConvolution"), ("CMP0007", "Mixer<Helper>") }),
        };

        public static TheoryData<string> Names() => new TheoryData<string>(Cases.Keys.OrderBy(k => k, System.StringComparer.Ordinal));

        /// <summary>Cases named …WithoutRuntime compile without Composer.Runtime.</summary>
        internal static GeneratorHarness.Run RunCase(string name) =>
            GeneratorHarness.RunGenerator(GeneratorHarness.Compile(
                OutputKind.DynamicallyLinkedLibrary,
                runtime: !name.EndsWith("WithoutRuntime", System.StringComparison.Ordinal),
                ("EdgeCase.cs", "using Composer;\n\n" + Cases[name].Source + "\n")));

        [Theory]
        [MemberData(nameof(Names))]
        public void Reports(string name)
        {
            var run = RunCase(name);
            Assert.Null(run.Result.Exception);
            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));

            string source = run.Diagnostics.FirstOrDefault()?.Location.SourceTree?.ToString() ?? string.Empty;
            var actual = run.Diagnostics
                .Select(d => (d.Id, At: d.Location.SourceTree!.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)))
                .OrderBy(x => x.Id, System.StringComparer.Ordinal).ThenBy(x => x.At, System.StringComparer.Ordinal);
            var expected = Cases[name].Expected
                .Select(e => (e.Id, At: e.At.Contains('\n') ? e.At.Substring(0, e.At.IndexOf(')')) : e.At))
                .OrderBy(x => x.Id, System.StringComparer.Ordinal).ThenBy(x => x.At, System.StringComparer.Ordinal);
            Assert.Equal(expected, actual);

            if (run.Diagnostics.Count > 0)
            {
                Snapshot.VerifyDiagnostics(Snapshot.Name(nameof(EdgeCaseTests), nameof(Reports), name), DiagnosticRenderer.Render(run.Diagnostics));
            }
        }
    }
}
