using System.Collections.Generic;
using System.Linq;
using Composer.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// Mistakes that real declarations make, beyond the one-per-id examples of docs/diagnostics.md, each
    /// with its correction. The mistake reports exactly the listed diagnostics, on the listed text, and
    /// pins their rendering in a snapshot; the corrected declaration draws nothing, is generated, and its
    /// generated code compiles. A second table holds declarations the compiler itself rejects: they draw
    /// the compiler's errors and nothing from Composer, and nothing is generated from them.
    /// </summary>
    public sealed class CorrectedDeclarationTests
    {
        internal static readonly Dictionary<string, (string Bad, (string Id, string At)[] Expected, string Fixed)> Cases = new()
        {
            ["NullKernels"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [LightweightConvolution(Kernels = null)]
                public partial class ConvLm;
                """, new[] { ("CMP0008", "Kernels = null") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [LightweightConvolution(Kernels = new[] { 3 })]
                public partial class ConvLm;
                """),
            ["NestedStackIsARecord"] = ("""
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [SelfAttention]
                    public partial record Source;

                    [Decoder(Depth = 2)]
                    [SelfAttention]
                    public partial class Target;
                }
                """, new[] { ("CMP0003", "Source") }, """
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [SelfAttention]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [SelfAttention]
                    public partial class Target;
                }
                """),
            ["PrimaryConstructor"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class TinyLm(int seed);
                """, new[] { ("CMP0003", "TinyLm") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class TinyLm;
                """),
            ["FileLocalModel"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                file partial class TinyLm;
                """, new[] { ("CMP0041", "TinyLm") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                internal partial class TinyLm;
                """),
            ["FileLocalStructAroundModel"] = ("""
                file partial struct Shelf
                {
                    [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                    [SelfAttention]
                    public partial class TinyLm;
                }
                """, new[] { ("CMP0041", "Shelf") }, """
                internal partial struct Shelf
                {
                    [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                    [SelfAttention]
                    public partial class TinyLm;
                }
                """),
            ["FeedForwardDerivedFromWidth"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 1 << 29, Depth = 2)]
                [SelfAttention]
                public partial class WideLm;
                """, new[] { ("CMP0036", "Width = 1 << 29") }, """
                [LanguageModel(Vocabulary = 256, Width = 1024, Depth = 2)]
                [SelfAttention]
                public partial class WideLm;
                """),
            ["ProjectionDerivedFromWidth"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 1 << 30, FeedForward = 8, Depth = 2)]
                [SelfAttention]
                public partial class WideLm;
                """, new[] { ("CMP0036", "Width = 1 << 30") }, """
                [LanguageModel(Vocabulary = 256, Width = 1024, FeedForward = 8, Depth = 2)]
                [SelfAttention]
                public partial class WideLm;
                """),
            ["DynamicKernelProjection"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 1 << 20, Depth = 2)]
                [DynamicConvolution(Heads = 1024, Kernels = new[] { 3, 2097153 })]
                public partial class ConvLm;
                """, new[] { ("CMP0036", "2097153") }, """
                [LanguageModel(Vocabulary = 256, Width = 1024, Depth = 2)]
                [DynamicConvolution(Heads = 16, Kernels = new[] { 3, 31 })]
                public partial class ConvLm;
                """),
            ["SynthesizerDenseHiddenWidth"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 1 << 20, FeedForward = 8, Depth = 1, MaxLength = 64)]
                [SynthesizerAttention(Heads = 4096, Kind = SynthesizerKind.Dense)]
                public partial class SynthLm;
                """, new[] { ("CMP0036", "Heads = 4096") }, """
                [LanguageModel(Vocabulary = 256, Width = 1024, FeedForward = 8, Depth = 1, MaxLength = 64)]
                [SynthesizerAttention(Heads = 4, Kind = SynthesizerKind.Dense)]
                public partial class SynthLm;
                """),
            ["ParameterCountFromMaxLength"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, MaxLength = int.MaxValue)]
                [SynthesizerAttention]
                public partial class SynthLm;
                """, new[] { ("CMP0036", "MaxLength = int.MaxValue") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, MaxLength = 1024)]
                [SynthesizerAttention]
                public partial class SynthLm;
                """),
            ["ParameterCountFromDepth"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 1 << 28, FeedForward = int.MaxValue, Depth = 7)]
                [SelfAttention]
                public partial class DeepLm;
                """, new[] { ("CMP0036", "Depth = 7") }, """
                [LanguageModel(Vocabulary = 256, Width = 1024, FeedForward = 4096, Depth = 7)]
                [SelfAttention]
                public partial class DeepLm;
                """),
            ["ParameterCountOfTwoStacks"] = ("""
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 1 << 28, FeedForward = int.MaxValue)]
                public partial class Translator
                {
                    [Encoder(Depth = 4)]
                    [SelfAttention]
                    public partial class Source;

                    [Decoder(Depth = 4)]
                    [SelfAttention]
                    public partial class Target;
                }
                """, new[] { ("CMP0036", "Seq2Seq") }, """
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 1024, FeedForward = 4096)]
                public partial class Translator
                {
                    [Encoder(Depth = 4)]
                    [SelfAttention]
                    public partial class Source;

                    [Decoder(Depth = 4)]
                    [SelfAttention]
                    public partial class Target;
                }
                """),
            // A user mixer's [MixerFacts(Needs = …)] is checked as a built-in mixer's needs are.
            ["UserMixerNeedsMaxLength"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Mixer<Lab.WindowedMixer>(Heads = 4, Kernels = new[] { 3 }, Window = 2)]
                public partial class WindowedLm;
                """ + UserMixers.Windowed, new[] { ("CMP0026", "Lab.WindowedMixer") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, MaxLength = 128)]
                [Mixer<Lab.WindowedMixer>(Heads = 4, Kernels = new[] { 3 }, Window = 2)]
                public partial class WindowedLm;
                """ + UserMixers.Windowed),
            ["UserMixerNeedsKernelsAndWindow"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, MaxLength = 128)]
                [Mixer<Lab.WindowedMixer>]
                public partial class WindowedLm;
                """ + UserMixers.Windowed, new[] { ("CMP0008", "Mixer<Lab.WindowedMixer>"), ("CMP0008", "Mixer<Lab.WindowedMixer>") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, MaxLength = 128)]
                [Mixer<Lab.WindowedMixer>(Kernels = new[] { 3, 5 }, Window = 4)]
                public partial class WindowedLm;
                """ + UserMixers.Windowed),
            ["UserMixerHeadsAndSizes"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, MaxLength = 128)]
                [Mixer<Lab.WindowedMixer>(Heads = 6, Kernels = new[] { 3, 0, 5 }, Window = 0)]
                public partial class WindowedLm;
                """ + UserMixers.Windowed, new[] { ("CMP0013", "Heads = 6"), ("CMP0019", "Kernels = new[] { 3, 0, 5 }"), ("CMP0020", "0"), ("CMP0009", "Window = 0") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, MaxLength = 128)]
                [Mixer<Lab.WindowedMixer>(Heads = 4, Kernels = new[] { 3, 5 }, Window = 2)]
                public partial class WindowedLm;
                """ + UserMixers.Windowed),
            ["UserMixerFactsCausalAndAlignmentFree"] = ("""
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [Mixer<Lab.Echo>]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [Mixer<Lab.Echo>]
                    [Mixer<Lab.Echo>(Cross = true)]
                    public partial class Target;
                }

                namespace Lab
                {
                    using Composer.Layers;
                    using Composer.Mixers;
                    using TorchSharp;
                    using static TorchSharp.torch;

                    public sealed class NoState : IMixerState
                    {
                        public void Reorder(Tensor indices) { }

                        public void Dispose() { }
                    }

                    [MixerFacts(Cost = CostClass.Linear)]
                    public sealed class Echo : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<NoState>, ICrossMixer
                    {
                        public Echo(MixerContext context) : base(nameof(Echo)) { }

                        public MixerFacts Facts { get; } = new("echo", true, true, MixerNeeds.None, CostClass.Linear);

                        public override Tensor forward(Tensor x, Tensor? padding) => x;

                        public Tensor forward(Tensor query, Tensor memory, Tensor? memoryPadding) => query;

                        public NoState NewState(long batchSize) => new NoState();

                        public Tensor Step(Tensor x, NoState state) => x;
                    }
                }
                """, new[] { ("CMP0023", "Lab.Echo"), ("CMP0024", "Lab.Echo") }, """
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [Mixer<Lab.Echo>]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [Mixer<Lab.Echo>]
                    [Mixer<Lab.Echo>(Cross = true)]
                    public partial class Target;
                }

                namespace Lab
                {
                    using Composer.Layers;
                    using Composer.Mixers;
                    using TorchSharp;
                    using static TorchSharp.torch;

                    public sealed class NoState : IMixerState
                    {
                        public void Reorder(Tensor indices) { }

                        public void Dispose() { }
                    }

                    [MixerFacts(CausalCapable = true, AlignmentFree = true, Cost = CostClass.Linear)]
                    public sealed class Echo : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<NoState>, ICrossMixer
                    {
                        public Echo(MixerContext context) : base(nameof(Echo)) { }

                        public MixerFacts Facts { get; } = new("echo", true, true, MixerNeeds.None, CostClass.Linear);

                        public override Tensor forward(Tensor x, Tensor? padding) => x;

                        public Tensor forward(Tensor query, Tensor memory, Tensor? memoryPadding) => query;

                        public NoState NewState(long batchSize) => new NoState();

                        public Tensor Step(Tensor x, NoState state) => x;
                    }
                }
                """),
            ["UserMixerOptionItDoesNotNeed"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Mixer<Lab.GatedMixer>(Kernels = new[] { 3 }, Window = 2)]
                public partial class GatedLm;
                """ + UserMixers.Gated, new[] { ("CMP0042", "Kernels = new[] { 3 }"), ("CMP0042", "Window = 2") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Mixer<Lab.GatedMixer>]
                public partial class GatedLm;
                """ + UserMixers.Gated),
            // Members the user declares next to the generated ones.
            ["PropertyNamedLikeAGeneratedConstant"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class TinyLm
                {
                    public int MaxLength { get; init; } = 512;

                    public string Layer1 = "attention";
                }
                """, new[] { ("CMP0043", "MaxLength"), ("CMP0043", "Layer1") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class TinyLm
                {
                    public int MaxPromptLength { get; init; } = 512;

                    public string Layer2 = "attention";
                }
                """),
            ["MethodWithTheGeneratedSignature"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class TinyLm
                {
                    public TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor tokens, TorchSharp.torch.Tensor? padding) => tokens;

                    public TinyLm(Composer.Layers.ModuleContext context) { }

                    public sealed class DecodingState { }
                }
                """, new[] { ("CMP0043", "forward"), ("CMP0043", "TinyLm"), ("CMP0043", "DecodingState") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class TinyLm
                {
                    public TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor tokens) => forward(tokens, null);

                    public TinyLm() : this(Composer.Layers.ModuleContext.Cpu) { }

                    public sealed class DecodingOptions { }
                }
                """),
            ["ModelNamedLikeItsMember"] = ("""
                [Classifier(Vocabulary = 256, Classes = 2, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class Summary;
                """, new[] { ("CMP0043", "Summary") }, """
                [Classifier(Vocabulary = 256, Classes = 2, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class SummaryClassifier;
                """),
            ["StackClassesNamedLikeGeneratedMembers"] = ("""
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [SelfAttention]
                    public partial class Encode;

                    [Decoder(Depth = 2)]
                    [SelfAttention]
                    public partial class Target
                    {
                        public object? Embed;
                    }
                }
                """, new[] { ("CMP0043", "Encode"), ("CMP0043", "Embed") }, """
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [SelfAttention]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [SelfAttention]
                    public partial class Target
                    {
                        public object? Embedding;
                    }
                }
                """),
            // Smaller points: where a generic container is reported, empty ranges, plural agreement.
            ["ModelInAGenericClass"] = ("""
                public partial class Registry<T>
                {
                    [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                    [SelfAttention]
                    public partial class TinyLm;
                }
                """, new[] { ("CMP0002", "Registry") }, """
                public partial class Registry
                {
                    [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                    [SelfAttention]
                    public partial class TinyLm;
                }
                """),
            ["RangeEmptyAtAnyDepth"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 4)]
                [LightweightConvolution(Layers = "..3", Kernels = new[] { 3 })]
                [SelfAttention(Layers = "3..3")]
                public partial class HybridLm;
                """, new[] { ("CMP0016", "Layers = \"3..3\"") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 4)]
                [LightweightConvolution(Layers = "..3", Kernels = new[] { 3 })]
                [SelfAttention(Layers = "3..4")]
                public partial class HybridLm;
                """),
            ["OneLayerMessages"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 1, MaxLength = 16)]
                [LightweightConvolution(Kernels = new[] { 2, 4 })]
                public partial class ConvLm;

                [Classifier(Vocabulary = 256, Classes = 2, Width = 64, Depth = 1)]
                [SelfAttention(Layers = "1")]
                public partial class TinyClassifier;

                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 1, MaxLength = 16)]
                [LightweightConvolution(Kernels = new[] { 2 })]
                public partial class NarrowLm;
                """, new[] { ("CMP0019", "Kernels = new[] { 2, 4 }"), ("CMP0016", "Layers = \"1\""), ("CMP0028", "LanguageModel") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 1)]
                [LightweightConvolution(Kernels = new[] { 3 })]
                public partial class ConvLm;

                [Classifier(Vocabulary = 256, Classes = 2, Width = 64, Depth = 1)]
                [SelfAttention(Layers = "0")]
                public partial class TinyClassifier;

                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 1, MaxLength = 2)]
                [LightweightConvolution(Kernels = new[] { 2 })]
                public partial class NarrowLm;
                """),
            // The attention review's and Reformer's mixers (issue 11).
            ["LocationScoreWithoutMaxLength"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [ScoredAttention(Heads = 4, Score = AttentionScore.Location)]
                public partial class LocationLm;
                """, new[] { ("CMP0026", "ScoredAttention") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, MaxLength = 128)]
                [ScoredAttention(Heads = 4, Score = AttentionScore.Location)]
                public partial class LocationLm;
                """),
            ["PositionBoundCrossMixers"] = ("""
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64, MaxLength = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [LshAttention(Heads = 4, Buckets = 8, ChunkSize = 16)]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [PredictiveLocalAttention(Heads = 4, Window = 4)]
                    [ScoredAttention(Cross = true, Layers = "0", Score = AttentionScore.Location)]
                    [LshAttention(Cross = true, Layers = "1")]
                    public partial class Target;
                }
                """, new[] { ("CMP0024", "Cross = true"), ("CMP0024", "Cross = true") }, """
                [Seq2Seq(SourceVocabulary = 256, TargetVocabulary = 256, Width = 64, MaxLength = 64)]
                public partial class Translator
                {
                    [Encoder(Depth = 2)]
                    [LshAttention(Heads = 4, Buckets = 8, ChunkSize = 16)]
                    public partial class Source;

                    [Decoder(Depth = 2)]
                    [PredictiveLocalAttention(Heads = 4, Window = 4)]
                    [ScoredAttention(Cross = true, Layers = "0", Score = AttentionScore.Additive)]
                    [ScoredAttention(Cross = true, Layers = "1", Score = AttentionScore.General, Distribution = AttentionDistribution.Sigmoid)]
                    public partial class Target;
                }
                """),
            ["MultiDimensionalWithoutMaxLength"] = ("""
                [Classifier(Vocabulary = 256, Classes = 2, Width = 64, Depth = 2)]
                [MultiDimensionalAttention]
                public partial class FeatureClassifier;
                """, new[] { ("CMP0046", "MultiDimensionalAttention") }, """
                [Classifier(Vocabulary = 256, Classes = 2, Width = 64, Depth = 2, MaxLength = 256)]
                [MultiDimensionalAttention]
                public partial class FeatureClassifier;
                """),
            ["LshSizes"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 3)]
                [LshAttention(Layers = "0", Rounds = 0, ChunkSize = -4)]
                [LshAttention(Layers = "1", Buckets = 1 << 30)]
                [PredictiveLocalAttention(Layers = "2", Heads = 4)]
                public partial class ReformerLm;
                """, new[] { ("CMP0009", "Rounds = 0"), ("CMP0009", "ChunkSize = -4"), ("CMP0036", "Buckets = 1 << 30"), ("CMP0008", "PredictiveLocalAttention") }, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 3)]
                [LshAttention(Layers = "0", Rounds = 1, ChunkSize = 4)]
                [LshAttention(Layers = "1", Buckets = 1 << 10)]
                [PredictiveLocalAttention(Layers = "2", Heads = 4, Window = 8)]
                public partial class ReformerLm;
                """),
        };

        /// <summary>Declarations with a value the compiler could not compute (or a type it could not
        /// find), and the same declarations once it can.</summary>
        internal static readonly Dictionary<string, (string Bad, string Fixed)> CompilerErrors = new()
        {
            ["UnboundWidth"] = ("""
                public static class Sizes { public const int Heads = 4; }

                [LanguageModel(Vocabulary = 256, Width = Sizes.Width, Depth = 2)]
                [SelfAttention(Heads = Sizes.Heads)]
                public partial class TinyLm;
                """, """
                public static class Sizes { public const int Heads = 4; public const int Width = 64; }

                [LanguageModel(Vocabulary = 256, Width = Sizes.Width, Depth = 2)]
                [SelfAttention(Heads = Sizes.Heads)]
                public partial class TinyLm;
                """),
            ["UnboundHeads"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 60, Depth = 2)]
                [SelfAttention(Heads = Sizes.Heads)]
                public partial class TinyLm;
                """, """
                public static class Sizes { public const int Heads = 6; }

                [LanguageModel(Vocabulary = 256, Width = 60, Depth = 2)]
                [SelfAttention(Heads = Sizes.Heads)]
                public partial class TinyLm;
                """),
            ["UnboundKernel"] = ("""
                public static class Sizes { }

                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [LightweightConvolution(Kernels = new[] { 3, Sizes.Wide })]
                public partial class ConvLm;
                """, """
                public static class Sizes { public const int Wide = 7; }

                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [LightweightConvolution(Kernels = new[] { 3, Sizes.Wide })]
                public partial class ConvLm;
                """),
            ["UnboundLayers"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention(Layers = Plan.Attention)]
                [LinearAttention(Layers = "1")]
                public partial class HybridLm;
                """, """
                public static class Plan { public const string Attention = "0"; }

                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention(Layers = Plan.Attention)]
                [LinearAttention(Layers = "1")]
                public partial class HybridLm;
                """),
            ["UnboundPositions"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 63, Depth = 2, Positions = Encodings.Chosen)]
                [Recurrent]
                public partial class RecurrentLm;
                """, """
                public static class Encodings { public const PositionalEncoding Chosen = PositionalEncoding.None; }

                [LanguageModel(Vocabulary = 256, Width = 63, Depth = 2, Positions = Encodings.Chosen)]
                [Recurrent]
                public partial class RecurrentLm;
                """),
            ["UnresolvedUserMixer"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Mixer<Lab.GatedMixr>]
                public partial class GatedLm;
                """ + UserMixers.Gated, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Mixer<Lab.GatedMixer>]
                public partial class GatedLm;
                """ + UserMixers.Gated),
            ["UnboundMixerFacts"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Mixer<Lab.Identity>]
                public partial class IdentityLm;

                namespace Lab
                {
                    using Composer.Layers;
                    using Composer.Mixers;
                    using TorchSharp;
                    using static TorchSharp.torch;

                    [MixerFacts(CausalCapable = Facts.Causal)]
                    public sealed class Identity : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<GateState>
                    {
                        public Identity(MixerContext context) : base(nameof(Identity)) { }

                        public MixerFacts Facts { get; } = new("identity", true, false, MixerNeeds.None, CostClass.Linear);

                        public override Tensor forward(Tensor x, Tensor? padding) => x;

                        public GateState NewState(long batchSize) => new GateState();

                        public Tensor Step(Tensor x, GateState state) => x;
                    }
                }
                """ + UserMixers.Gated, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Mixer<Lab.Identity>]
                public partial class IdentityLm;

                namespace Lab
                {
                    using Composer.Layers;
                    using Composer.Mixers;
                    using TorchSharp;
                    using static TorchSharp.torch;

                    [MixerFacts(CausalCapable = true)]
                    public sealed class Identity : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<GateState>
                    {
                        public Identity(MixerContext context) : base(nameof(Identity)) { }

                        public MixerFacts Facts { get; } = new("identity", true, false, MixerNeeds.None, CostClass.Linear);

                        public override Tensor forward(Tensor x, Tensor? padding) => x;

                        public GateState NewState(long batchSize) => new GateState();

                        public Tensor Step(Tensor x, GateState state) => x;
                    }
                }
                """ + UserMixers.Gated),
            ["MixerFactWrittenAsNumber"] = ("""
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Mixer<Lab.Identity>]
                public partial class IdentityLm;

                namespace Lab
                {
                    using Composer.Layers;
                    using Composer.Mixers;
                    using TorchSharp;
                    using static TorchSharp.torch;

                    [MixerFacts(CausalCapable = 1)]
                    public sealed class Identity : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<GateState>
                    {
                        public Identity(MixerContext context) : base(nameof(Identity)) { }

                        public MixerFacts Facts { get; } = new("identity", true, false, MixerNeeds.None, CostClass.Linear);

                        public override Tensor forward(Tensor x, Tensor? padding) => x;

                        public GateState NewState(long batchSize) => new GateState();

                        public Tensor Step(Tensor x, GateState state) => x;
                    }
                }
                """ + UserMixers.Gated, """
                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [Mixer<Lab.Identity>]
                public partial class IdentityLm;

                namespace Lab
                {
                    using Composer.Layers;
                    using Composer.Mixers;
                    using TorchSharp;
                    using static TorchSharp.torch;

                    [MixerFacts(CausalCapable = true)]
                    public sealed class Identity : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<GateState>
                    {
                        public Identity(MixerContext context) : base(nameof(Identity)) { }

                        public MixerFacts Facts { get; } = new("identity", true, false, MixerNeeds.None, CostClass.Linear);

                        public override Tensor forward(Tensor x, Tensor? padding) => x;

                        public GateState NewState(long batchSize) => new GateState();

                        public Tensor Step(Tensor x, GateState state) => x;
                    }
                }
                """ + UserMixers.Gated),
            ["TrainingExecutableListsAMissingType"] = ("""
                [assembly: TrainingExecutable(typeof(TinyLm), typeof(TinyLn))]

                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class TinyLm;
                """, """
                [assembly: TrainingExecutable(typeof(TinyLm))]

                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class TinyLm;
                """),
            ["TrainingExecutableArgumentDoesNotBind"] = ("""
                [assembly: TrainingExecutable(Models.All)]

                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class TinyLm;
                """, """
                [assembly: TrainingExecutable(typeof(TinyLm))]

                [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
                [SelfAttention]
                public partial class TinyLm;
                """),
        };

        public static TheoryData<string> Names() => new TheoryData<string>(Cases.Keys.OrderBy(k => k, System.StringComparer.Ordinal));

        public static TheoryData<string> CompilerErrorNames() => new TheoryData<string>(CompilerErrors.Keys.OrderBy(k => k, System.StringComparer.Ordinal));

        /// <summary>A declaration with <c>[assembly: TrainingExecutable]</c> builds a program (the generator writes its Main).</summary>
        internal static Compilation Compile(string source) => GeneratorHarness.Compile(
            source.Contains("[assembly: TrainingExecutable", System.StringComparison.Ordinal) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            ("Declaration.cs", "using Composer;\n\n" + source + "\n"));

        internal static GeneratorHarness.Run Run(string source) => GeneratorHarness.RunGenerator(Compile(source));

        [Theory]
        [MemberData(nameof(Names))]
        public void Reports(string name)
        {
            var run = Run(Cases[name].Bad);
            Assert.Null(run.Result.Exception);
            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));

            var actual = run.Diagnostics
                .Select(d => (d.Id, At: d.Location.SourceTree!.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)))
                .OrderBy(x => x.Id, System.StringComparer.Ordinal).ThenBy(x => x.At, System.StringComparer.Ordinal);
            var expected = Cases[name].Expected.OrderBy(x => x.Id, System.StringComparer.Ordinal).ThenBy(x => x.At, System.StringComparer.Ordinal);
            Assert.Equal(expected, actual);
            Snapshot.VerifyDiagnostics(Snapshot.Name(nameof(CorrectedDeclarationTests), nameof(Reports), name), DiagnosticRenderer.Render(run.Diagnostics));
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void CorrectionIsCleanAndGenerated(string name) => AssertCleanAndGenerated(Run(Cases[name].Fixed));

        [Theory]
        [MemberData(nameof(CompilerErrorNames))]
        public void WhatTheCompilerCannotComputeDrawsNoComposerDiagnostic(string name)
        {
            Compilation input = Compile(CompilerErrors[name].Bad);
            var run = GeneratorHarness.RunGenerator(input);
            Assert.Null(run.Result.Exception);

            // The compiler rejects the declaration itself (CS5001, no Main yet, is only the executable's).
            Assert.Contains(input.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS5001");
            Assert.True(run.Diagnostics.Count == 0, DiagnosticRenderer.Summary(run.Diagnostics));

            // The compiler's errors are the only ones: none in generated code, and no model generated from
            // defaults the user never wrote (a marker's error leaves its models alone).
            Assert.DoesNotContain(run.CompilerErrors, d => d.Location.SourceTree?.FilePath != "Declaration.cs" && d.Id != "CS5001");
            if (!name.StartsWith("TrainingExecutable", System.StringComparison.Ordinal))
            {
                Assert.Empty(run.Result.GeneratedSources);
            }
        }

        [Theory]
        [MemberData(nameof(CompilerErrorNames))]
        public void WhatTheCompilerComputesIsGenerated(string name) => AssertCleanAndGenerated(Run(CompilerErrors[name].Fixed));

        private static void AssertCleanAndGenerated(GeneratorHarness.Run run)
        {
            Assert.Null(run.Result.Exception);
            Assert.True(run.Diagnostics.Count == 0, DiagnosticRenderer.Summary(run.Diagnostics));
            Assert.NotEmpty(run.Result.GeneratedSources);
            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));
        }
    }
}
