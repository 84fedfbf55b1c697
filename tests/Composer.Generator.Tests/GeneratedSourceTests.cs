using System.Collections.Generic;
using System.IO;
using System.Linq;
using Composer.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// The generated source of every sample and of the edge cases (encoder–decoder, per-layer mixers,
    /// user mixers, classifiers) is pinned in <c>.verified.cs</c> snapshots, and every snapshot is
    /// compiled against the real Composer.Runtime with zero errors, so no snapshot can bless code
    /// that does not build.
    /// </summary>
    public sealed class GeneratedSourceTests
    {
        internal static readonly Dictionary<string, string> Declarations = new()
        {
            ["EncoderDecoder"] = """
                [Seq2Seq(SourceVocabulary = 300, TargetVocabulary = 200, Width = 64, FeedForward = 96, Norm = NormPlacement.Post,
                    Dropout = 0, Positions = PositionalEncoding.Learned, MaxLength = 48, TieEmbeddings = true)]
                public partial class Translator
                {
                    [Encoder(Depth = 3)]
                    [LightweightConvolution(Layers = "0", Heads = 4, Kernels = new[] { 5 })]
                    [SelfAttention(Layers = "1", Heads = 4)]
                    [Recurrent(Layers = "2", Cell = RecurrentCell.Gru, Bidirectional = true)]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [DynamicConvolution(Layers = "0", Heads = 4, Kernels = new[] { 4 })]
                    [SelfAttention(Layers = "1", Heads = 2)]
                    public partial class Target;
                }
                """,
            ["PerLayerMixers"] = """
                [LanguageModel(Vocabulary = 100, Width = 32, Depth = 6, MaxLength = 16, FeedForward = 48, Activation = Activation.Relu,
                    AttentionDropout = 0.1, ActivationDropout = 0.05, WeightDropout = 0.2)]
                [LocalAttention(Layers = "0", Heads = 4, Window = 3)]
                [LightweightConvolution(Layers = "1", Heads = 4, Kernels = new[] { 3 }, Glu = false)]
                [Recurrent(Layers = "2")]
                [SparsemaxAttention(Layers = "3", Heads = 2)]
                [SynthesizerAttention(Layers = "4", Heads = 2, Kind = SynthesizerKind.Dense)]
                [ConstantAttention(Layers = "^1", Heads = 4)]
                public partial class PatchworkLm;
                """,
            ["UserMixer"] = """
                namespace Lab.Models
                {
                    public partial class Zoo
                    {
                        [LanguageModel(Vocabulary = 64, Width = 32, Depth = 2, Positions = PositionalEncoding.None, Dropout = 0)]
                        [Mixer<Lab.GatedMixer>(Layers = "0")]
                        [TaylorAttention(Layers = "1", Heads = 4)]
                        public partial class GatedLm;
                    }

                    [Seq2Seq(SourceVocabulary = 64, TargetVocabulary = 64, Width = 32)]
                    public partial class GatedTranslator
                    {
                        [Encoder(Depth = 1)]
                        [Mixer<Lab.GatedMixer>]
                        public partial class Encoder;

                        [Decoder(Depth = 2)]
                        [Mixer<Lab.GatedMixer>(Layers = "0")]
                        [LinearAttention(Layers = "1", Heads = 4, FeatureMap = FeatureMap.Relu)]
                        [Mixer<Lab.GatedMixer>(Cross = true)]
                        public partial class Decoder;
                    }
                }
                """ + UserMixers.Gated,
            ["Classifiers"] = """
                [Classifier(Vocabulary = 50, Classes = 3, Width = 48, Depth = 3, MaxLength = 32, Pooling = Pooling.Max,
                    Positions = PositionalEncoding.None, Norm = NormPlacement.Post)]
                [Linformer(Layers = "0", Heads = 4, ProjectedLength = 8)]
                [DynamicConvolution(Layers = "1", Heads = 4, Kernels = new[] { 3 })]
                [Recurrent(Layers = "2", Bidirectional = true)]
                public partial class MaxClassifier;

                [Classifier(Vocabulary = 50, Classes = 2, Width = 16, Depth = 1, Pooling = Pooling.Last, Dropout = 0)]
                [LocalAttention(Heads = 2, Window = 2)]
                public partial class LastClassifier;

                [Classifier(Vocabulary = 50, Classes = 4, Width = 16, Depth = 1, Pooling = Pooling.First)]
                [SelfAttention(Heads = 2)]
                public partial class FirstClassifier;
                """,
            // A user mixer that needs heads, a kernel per layer, a window and MaxLength gets them in its context.
            ["UserMixerNeeds"] = """
                [LanguageModel(Vocabulary = 16, Width = 16, Depth = 2, MaxLength = 32)]
                [Mixer<Lab.WindowedMixer>(Heads = 4, Kernels = new[] { 3, 5 }, Window = 2)]
                public partial class WindowedLm;
                """ + UserMixers.Windowed,
            // Models nested in types other than classes: each is reopened with its own kind (a ref or
            // readonly struct as plain partial struct, which C# allows), never as partial class.
            ["ContainerKinds"] = """
                namespace Lab
                {
                    public partial struct Shelf
                    {
                        [LanguageModel(Vocabulary = 16, Width = 16, Depth = 1, Dropout = 0)]
                        [SelfAttention(Heads = 2)]
                        public partial class StructLm;
                    }

                    public partial record Catalogue(string Title)
                    {
                        [Classifier(Vocabulary = 16, Classes = 2, Width = 16, Depth = 1)]
                        [SelfAttention(Heads = 2)]
                        public partial class RecordClassifier;
                    }

                    public readonly partial record struct Pair
                    {
                        [Seq2Seq(SourceVocabulary = 16, TargetVocabulary = 16, Width = 16, FeedForward = 32)]
                        public partial class PairTranslator
                        {
                            [Encoder(Depth = 1)]
                            [SelfAttention(Heads = 2)]
                            public partial class Source;

                            [Decoder(Depth = 1)]
                            [SelfAttention(Heads = 2)]
                            public partial class Target;
                        }
                    }

                    public ref partial struct Span
                    {
                        [LanguageModel(Vocabulary = 16, Width = 16, Depth = 1)]
                        [Recurrent(Cell = RecurrentCell.Gru)]
                        public partial class RefStructLm;
                    }

                    public partial interface IZoo
                    {
                        [LanguageModel(Vocabulary = 16, Width = 16, Depth = 1)]
                        [LinearAttention(Heads = 2)]
                        public partial class InterfaceLm;
                    }
                }
                """,
            // Funnel pooling (MIXERS.md §10): attention layers that start a pooled block take pooled queries,
            // others the pooled sequence (a convolution stack's receptive field widens with each pooling);
            // mean and max; the first position kept apart; pre- and post-norm.
            ["FunnelClassifiers"] = """
                [Classifier(Vocabulary = 50, Classes = 2, Width = 32, Depth = 4, MaxLength = 65, Pooling = Pooling.First,
                    Funnel = new[] { 1, 2, 1 }, FunnelKeepFirst = true)]
                [SelfAttention(Heads = 4)]
                public partial class FunnelClassifier;

                [Classifier(Vocabulary = 50, Classes = 3, Width = 32, Depth = 3, MaxLength = 64, Norm = NormPlacement.Post, Dropout = 0,
                    Funnel = new[] { 1, 1, 1 }, FunnelPooling = FunnelPooling.Max)]
                [LightweightConvolution(Heads = 4, Kernels = new[] { 3, 5, 3 })]
                public partial class MaxFunnelClassifier;

                [Classifier(Vocabulary = 50, Classes = 2, Width = 32, Depth = 2, MaxLength = 16, Dropout = 0,
                    Funnel = new[] { 1, 1 }, FunnelPooling = FunnelPooling.Max)]
                [SparsemaxAttention(Heads = 4)]
                public partial class SparsemaxFunnelClassifier;
                """,
            // A Funnel encoder: the decoder attends to the shorter memory with the source padding pooled alike.
            ["FunnelTranslator"] = """
                [Seq2Seq(SourceVocabulary = 40, TargetVocabulary = 30, Width = 32, FeedForward = 48, MaxLength = 32)]
                public partial class FunnelTranslator
                {
                    [Encoder(Depth = 3, Funnel = new[] { 2, 1 })]
                    [SelfAttention(Heads = 4)]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [SelfAttention(Heads = 4)]
                    public partial class Target;
                }
                """,
            // Reversible stacks (MIXERS.md §9) of every kind: Forward through Reversible.Forward, Step through
            // Reversible.Direct; a decoder's cross sublayers get the memory.
            ["ReversibleStacks"] = """
                [LanguageModel(Vocabulary = 64, Width = 32, Depth = 3, MaxLength = 32, Reversible = true)]
                [SelfAttention(Layers = "0..2", Heads = 4)]
                [LightweightConvolution(Layers = "2", Heads = 4, Kernels = new[] { 3 })]
                public partial class ReversibleLm;

                [Classifier(Vocabulary = 50, Classes = 2, Width = 32, Depth = 2, Dropout = 0, Reversible = true)]
                [Recurrent(Bidirectional = true)]
                public partial class ReversibleClassifier;

                [Seq2Seq(SourceVocabulary = 40, TargetVocabulary = 30, Width = 32, FeedForward = 48)]
                public partial class ReversibleTranslator
                {
                    [Encoder(Depth = 2, Reversible = true)]
                    [SelfAttention(Heads = 4)]
                    public partial class Source;

                    [Decoder(Depth = 2, Reversible = true)]
                    [SelfAttention(Heads = 4)]
                    [LinearAttention(Layers = "0", Cross = true, Heads = 4)]
                    [Mixer<Lab.GatedMixer>(Layers = "1", Cross = true)]
                    public partial class Target;
                }
                """ + UserMixers.Gated,
            // Names as real code spells them: keywords written with @ (namespace, containing class,
            // model, nested stacks), contextual keywords (a model named var, whose locals must not read
            // as var; a stack named record) and Unicode, all listed in the executable's Main.
            ["KeywordNames"] = """
                [assembly: TrainingExecutable(typeof(@base.@in.@object.@class), typeof(@base.@in.@struct), typeof(var), typeof(Лаборатория.Модель), typeof(Лаборатория.\u0041bc))]

                namespace @base.@in
                {
                    public partial class @object
                    {
                        [LanguageModel(Vocabulary = 16, Width = 16, Depth = 1, Dropout = 0)]
                        [SelfAttention(Heads = 2)]
                        public partial class @class;
                    }

                    [Seq2Seq(SourceVocabulary = 16, TargetVocabulary = 16, Width = 16, FeedForward = 32)]
                    public partial class @struct
                    {
                        [Encoder(Depth = 1)]
                        [SelfAttention(Heads = 2)]
                        public partial class @in;

                        [Decoder(Depth = 1)]
                        [LinearAttention(Heads = 2)]
                        public partial class record;
                    }
                }

                [Classifier(Vocabulary = 16, Classes = 2, Width = 16, Depth = 1)]
                [SelfAttention(Heads = 2)]
                public partial class var;

                namespace Лаборатория
                {
                    [LanguageModel(Vocabulary = 16, Width = 16, Depth = 2, Positions = PositionalEncoding.None)]
                    [LightweightConvolution(Heads = 2, Kernels = new[] { 3 })]
                    public partial class Модель;

                    [LanguageModel(Vocabulary = 16, Width = 16, Depth = 1)]
                    [Recurrent]
                    public partial class \u0041bc;
                }
                """,
            // The attention review's score and distribution functions, local-p, multi-dimensional and LSH
            // attention (issue 11), self and cross.
            ["ReviewMixers"] = """
                [LanguageModel(Vocabulary = 64, Width = 32, Depth = 5, MaxLength = 32, Dropout = 0)]
                [ScoredAttention(Layers = "0", Heads = 4, Distribution = AttentionDistribution.Sigmoid)]
                [ScoredAttention(Layers = "1", Heads = 2, Score = AttentionScore.Location, Distribution = AttentionDistribution.Sparsemax)]
                [PredictiveLocalAttention(Layers = "2", Heads = 4, Window = 3)]
                [MultiDimensionalAttention(Layers = "3")]
                [LshAttention(Layers = "4", Heads = 4, Buckets = 4, Rounds = 2, ChunkSize = 8, Seed = 5)]
                public partial class ReviewLm;

                [Seq2Seq(SourceVocabulary = 64, TargetVocabulary = 48, Width = 32, FeedForward = 64)]
                public partial class BahdanauTranslator
                {
                    [Encoder(Depth = 2)]
                    [PredictiveLocalAttention(Layers = "0", Heads = 4, Window = 2)]
                    [LshAttention(Layers = "1", Heads = 2, Buckets = 2, Rounds = 1, ChunkSize = 4)]
                    public partial class Source;

                    [Decoder(Depth = 1)]
                    [ScoredAttention(Score = AttentionScore.General, Heads = 4)]
                    [ScoredAttention(Cross = true, Heads = 4)]
                    public partial class Target;
                }
                """,
        };

        public static TheoryData<string> Cases() => new TheoryData<string>(CaseNames());

        internal static string[] CaseNames() =>
            SampleTests.SampleNames().Concat(Declarations.Keys.OrderBy(k => k, System.StringComparer.Ordinal)).ToArray();

        /// <summary>A declaration with <c>[assembly: TrainingExecutable]</c> builds a program, so its Main is generated and compiled too.</summary>
        internal static GeneratorHarness.Run RunCase(string name) => Declarations.TryGetValue(name, out string? source)
            ? GeneratorHarness.RunGenerator(GeneratorHarness.Compile(
                source.Contains("[assembly: TrainingExecutable", System.StringComparison.Ordinal) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                ("Declaration.cs", "using Composer;\n\n" + source + "\n")))
            : SampleTests.RunSample(name);

        /// <summary>The snapshot file of each generated source of a case.</summary>
        internal static IEnumerable<(string File, string Text)> Snapshots(string name, GeneratorHarness.Run run) =>
            run.Result.GeneratedSources
                .OrderBy(s => s.HintName, System.StringComparer.Ordinal)
                .Select(s => (Snapshot.SourceFile(Snapshot.Name(nameof(GeneratedSourceTests), nameof(Generates), name), s.HintName),
                              "//HintName: " + s.HintName + "\n" + s.SourceText.ToString()));

        [Theory]
        [MemberData(nameof(Cases))]
        public void Generates(string name)
        {
            var run = RunCase(name);

            Assert.Null(run.Result.Exception);
            Assert.DoesNotContain(run.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
            Assert.NotEmpty(run.Result.GeneratedSources);
            // Compiler errors are checked after the snapshots so that a failing case leaves its
            // received files to read.
            var failures = new List<string>();
            foreach (var (file, text) in Snapshots(name, run))
            {
                try
                {
                    Snapshot.Verify(file, text);
                }
                catch (Xunit.Sdk.XunitException e)
                {
                    failures.Add(e.Message.Split('\n')[0]);
                }
            }

            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }

        [Fact]
        public void KeywordNamedModelsAreAllListedInMain()
        {
            var run = RunCase("KeywordNames");
            string main = run.Result.GeneratedSources.Single(s => s.HintName == "Composer.TrainingExecutable.g.cs").SourceText.ToString();
            foreach (string model in new[] { "global::@base.@in.@object.@class", "global::@base.@in.@struct", "global::@var", "global::Лаборатория.Модель", "global::Лаборатория.Abc" })
            {
                Assert.Contains("    " + model + ".Entry", main, System.StringComparison.Ordinal);
            }

            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));
        }

        [Theory]
        [InlineData(3, 1)]
        [InlineData(7, 1)]
        [InlineData(8, 2)]
        [InlineData(64, 16)]
        public void LinformerWithoutProjectedLengthProjectsToAQuarterOfMaxLengthButAtLeastOne(int maxLength, int projected)
        {
            var run = GeneratorHarness.RunGenerator(("Linformer.cs", "using Composer;\n[Classifier(Vocabulary = 16, Classes = 2, Width = 16, Depth = 1, MaxLength = " + maxLength + ")]\n[Linformer(Heads = 2)]\npublic partial class ShortLinformer;\n"));
            Assert.Empty(run.Diagnostics);
            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));
            string source = Assert.Single(run.Result.GeneratedSources).SourceText.ToString();
            Assert.Contains("new global::Composer.Mixers.LinformerOptions(ProjectedLength: " + projected + ")", source, System.StringComparison.Ordinal);
        }

        [Fact]
        public void OutputIsDeterministic()
        {
            foreach (string name in new[] { "HybridLm", "ConvTranslator", "UserMixer" })
            {
                var first = RunCase(name).Result.GeneratedSources.Select(s => s.SourceText.ToString()).ToList();
                var second = RunCase(name).Result.GeneratedSources.Select(s => s.SourceText.ToString()).ToList();
                Assert.Equal(first, second);
            }
        }

        [Fact]
        public void InvalidModelsAndModelsWithoutRuntimeGenerateNothing()
        {
            var invalid = GeneratorHarness.RunGenerator(("Bad.cs", "using Composer;\n[LanguageModel(Vocabulary = 256, Width = 60, Depth = 2)]\n[SelfAttention(Heads = 8)]\npublic partial class BadLm;\n"));
            Assert.Empty(invalid.Result.GeneratedSources);

            var compilation = GeneratorHarness.Compile(OutputKind.DynamicallyLinkedLibrary, runtime: false, ("Lm.cs", "using Composer;\n[LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]\n[SelfAttention]\npublic partial class TinyLm;\n"));
            var withoutRuntime = GeneratorHarness.RunGenerator(compilation);
            Assert.Empty(withoutRuntime.Result.GeneratedSources);
            Assert.Equal("CMP0038", Assert.Single(withoutRuntime.Diagnostics).Id);
        }
    }
}
