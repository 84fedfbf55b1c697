using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Composer.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Random model declarations for the never-throws test: plausible ones, ones with every kind of
    /// wrong value, and ones whose syntax is broken afterwards. Names are sometimes keywords written
    /// with @, contextual keywords or Unicode (namespaces, containing types, models, stacks); models sit
    /// sometimes in structs, records, record structs, interfaces or file-local types; sizes reach the
    /// limits (1 &lt;&lt; 29, int.MaxValue) where derived sizes overflow; user mixers state needs, user
    /// members share names with generated ones, values sometimes do not bind. The same seed gives the
    /// same source.
    /// </summary>
    internal sealed class RandomDeclarations
    {
        private static readonly string[] Ints = { "0", "1", "2", "3", "4", "7", "8", "16", "31", "64", "65", "256", "1024", "-1", "-100", "int.MaxValue", "int.MinValue", "1 << 29", "1 << 30", "536870912", "2097153", "Sizes.Width", "Sizes.Missing" };
        private static readonly string[] Doubles = { "0", "0.1", "0.5", "0.999", "1.0", "-0.1", "double.NaN", "double.PositiveInfinity", "1e300" };
        private static readonly string[] LayerTokens = { "0", "1", "2", "3", "5", "^1", "^0", "^9", "..", "..", ",", " ", "-", "x", "99999999999", "^", "." };
        private static readonly string[] Mixers =
        {
            "SelfAttention", "LightweightConvolution", "DynamicConvolution", "LinearAttention", "TaylorAttention",
            "ConstantAttention", "SynthesizerAttention", "Linformer", "LocalAttention", "SparsemaxAttention", "Recurrent", "Mixer",
            "ScoredAttention", "PredictiveLocalAttention", "MultiDimensionalAttention", "LshAttention",
        };

        private static readonly string[] MixerTypes = { "GoodMixer", "AbstractMixer", "IOtherMixer", "PlainMixer", "int", "string", "Missing", "GoodMixer[]", "System.Collections.Generic.List<int>", "NeedyMixer", "NeedyMixer" };

        /// <summary>Names as real code spells them: keywords with @, contextual keywords, Unicode and
        /// Unicode escapes. No two stand for the same identifier (@var and var would).</summary>
        private static readonly string[] Names = { "@class", "@in", "@base", "@object", "@struct", "@event", "var", "record", "async", "nameof", "dynamic", "value", "global", "_", "Модель", "Ünïcode", "\\u0041bc" };

        private static readonly string[] Namespaces = { "@base.@in", "var", "Лаборатория", "Lab.@event", "@namespace" };

        /// <summary>How a type around a model is declared (the name follows).</summary>
        private static readonly string[] Containers =
        {
            "public partial class", "public static partial class", "public partial struct", "public readonly partial struct", "public ref partial struct",
            "public partial record", "public partial record struct", "public partial interface", "file partial class", "public class", "public partial class",
        };

        /// <summary>Members a user may add to a model class, some named like generated ones.</summary>
        private static readonly string[] Members =
        {
            "public int Forward;", "public int MaxLength { get; init; }", "public string Summary() => \"\";", "public int Layer0;", "public object? DecodingState;",
            "public int Seed { get; init; }", "public override string ToString() => \"model\";", "public sealed class DecodingState { }", "public int Embed;",
        };
        private static readonly string[] Junk = { "[", "]", "(", ")", "{", "}", ",", "=", "\"", "partial", "class", "..", ";", "new[]", "@", "#if X", "/*", "typeof(" };

        /// <summary>The user mixer types the declarations name, written against the real Runtime
        /// (GoodMixer satisfies the contract; the others each break it in one way).</summary>
        private const string Support = """

            public sealed class GoodMixer : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor?, TorchSharp.torch.Tensor>, Composer.Mixers.IMixer
            {
                public GoodMixer(Composer.Mixers.MixerContext context) : base("GoodMixer") { }
                public Composer.Mixers.MixerFacts Facts => new("good", false, true, Composer.Mixers.MixerNeeds.None, Composer.Mixers.CostClass.Linear);
                public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x, TorchSharp.torch.Tensor? padding) => x;
            }
            public abstract class AbstractMixer : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor?, TorchSharp.torch.Tensor>, Composer.Mixers.IMixer
            {
                protected AbstractMixer() : base("AbstractMixer") { }
                public abstract Composer.Mixers.MixerFacts Facts { get; }
            }
            public interface IOtherMixer { }
            public sealed class PlainMixer { }
            public sealed class NeedyState : Composer.Mixers.IMixerState
            {
                public void Reorder(TorchSharp.torch.Tensor indices) { }
                public void Dispose() { }
            }
            [Composer.Mixers.MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = Composer.Mixers.MixerNeeds.Heads | Composer.Mixers.MixerNeeds.Kernel | Composer.Mixers.MixerNeeds.Window | Composer.Mixers.MixerNeeds.MaxLength)]
            public sealed class NeedyMixer : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor?, TorchSharp.torch.Tensor>, Composer.Mixers.IIncrementalMixer<NeedyState>, Composer.Mixers.ICrossMixer
            {
                public NeedyMixer(Composer.Mixers.MixerContext context) : base("NeedyMixer") { }
                public Composer.Mixers.MixerFacts Facts => new("needy", true, true, Composer.Mixers.MixerNeeds.Heads, Composer.Mixers.CostClass.Linear);
                public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x, TorchSharp.torch.Tensor? padding) => x;
                public TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x, TorchSharp.torch.Tensor memory, TorchSharp.torch.Tensor? memoryPadding) => x;
                public NeedyState NewState(long batchSize) => new NeedyState();
                public TorchSharp.torch.Tensor Step(TorchSharp.torch.Tensor x, NeedyState state) => x;
            }
            public static class Sizes { public const int Width = 64; }
            """;

        private readonly Random _random;

        /// <summary>Whether a sane model plugged in a user mixer, which needs <see cref="Support"/>.</summary>
        private bool _usesSupport;

        /// <summary>Numbers the outer classes some models are nested in.</summary>
        private int _outer;

        public RandomDeclarations(int seed)
        {
            _random = new Random(seed);
        }

        public string Next()
        {
            var body = new StringBuilder();
            var declared = new List<string>();
            int models = _random.Next(1, 4);
            int firstName = _random.Next(Names.Length);
            for (int i = 0; i < models; i++)
            {
                string index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string name = Chance(0.2) ? Names[(firstName + i) % Names.Length] : "M" + index;
                string? ns = Chance(0.15) ? Pick(Namespaces) : null;
                string? container = Chance(0.15) ? Pick(Containers) : null;
                if (ns is not null)
                {
                    body.Append("namespace ").Append(ns).Append("\n{\n");
                }

                if (container is not null)
                {
                    body.Append(container).Append(" Holder").Append(index).Append("\n{\n");
                }

                Model(body, name);
                if (container is not null)
                {
                    body.Append("}\n");
                }

                if (ns is not null)
                {
                    body.Append("}\n");
                }

                declared.Add((ns is null ? string.Empty : ns + ".") + (container is null ? string.Empty : "Holder" + index + ".") + name);
            }

            var text = new StringBuilder("using Composer;\n\n");
            if (Chance(0.15))
            {
                var listed = declared.Concat(new[] { "GoodMixer", "Nope", "int" }).ToArray();
                text.Append("[assembly: TrainingExecutable(").Append(string.Join(", ", Many(0, 3, () => "typeof(" + Pick(listed) + ")"))).Append(")]\n");
            }

            text.Append(body);
            if (_usesSupport || Chance(0.7))
            {
                text.Append(Support);
            }

            string source = text.ToString();
            return Chance(0.3) ? Break(source) : source;
        }

        private void Model(StringBuilder text, string name)
        {
            if (Chance(0.35))
            {
                SaneModel(text, name);
                return;
            }

            string kind = Pick("LanguageModel", "LanguageModel", "Classifier", "Seq2Seq", "Seq2Seq", "None");
            bool nestInGeneric = Chance(0.05), nestInPlain = Chance(0.05);
            if (nestInGeneric || nestInPlain)
            {
                text.Append(Chance(0.5) ? "public partial class Outer" : "public class Outer").Append(_outer++).Append(nestInGeneric ? "<T>" : string.Empty).Append("\n{\n");
            }

            if (kind != "None")
            {
                text.Append(ModelAttribute(kind));
            }

            if (Chance(0.05))
            {
                text.Append(ModelAttribute(Pick("LanguageModel", "Classifier", "Seq2Seq")));
            }

            if (kind != "Seq2Seq" || Chance(0.1))
            {
                foreach (string mixer in Many(0, 4, MixerAttribute))
                {
                    text.Append(mixer);
                }
            }

            string keyword = Chance(0.9) ? "class" : Pick("record", "struct", "interface", "record struct");
            string modifiers = (Chance(0.85) ? "partial " : string.Empty) + (Chance(0.05) ? "static " : string.Empty) + (Chance(0.05) ? "abstract " : string.Empty);
            text.Append(Chance(0.03) ? "file " : "public ").Append(modifiers).Append(keyword).Append(' ').Append(name).Append(Chance(0.05) ? "<T>" : string.Empty)
                .Append(Chance(0.03) ? "(int seed)" : string.Empty);

            bool members = Chance(0.1);
            if (kind == "Seq2Seq" || members || Chance(0.05))
            {
                text.Append("\n{\n");
                if (members)
                {
                    foreach (string member in Many(1, 3, () => Pick(Members)))
                    {
                        text.Append("    ").Append(member).Append('\n');
                    }
                }

                int stacks = _random.Next(0, 4);
                for (int s = 0; s < stacks; s++)
                {
                    text.Append("    [").Append(Pick("Encoder", "Decoder", "Encoder", "Decoder", "Classifier")).Append("(Depth = ").Append(Pick(Ints)).Append(")]\n");
                    foreach (string mixer in Many(0, 3, MixerAttribute))
                    {
                        text.Append("    ").Append(mixer);
                    }

                    string stack = Chance(0.15) ? Pick("@in", "@out", "Forward", "Embed", "Кодер", "record") : "S" + s.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    text.Append("    public ").Append(Chance(0.9) ? "partial " : string.Empty).Append("class ").Append(stack).Append(Chance(0.05) ? "<U>" : string.Empty).Append(";\n");
                }

                text.Append("}\n");
            }
            else
            {
                text.Append(";\n");
            }

            if (nestInGeneric || nestInPlain)
            {
                text.Append("}\n");
            }

            text.Append('\n');
        }

        /// <summary>A declaration that should be valid, so that emission runs too: sizes that fit, one
        /// mixer per layer chosen among those that suit the stack.</summary>
        private void SaneModel(StringBuilder text, string name)
        {
            string kind = Pick("LanguageModel", "Classifier", "Seq2Seq");

            // Mostly small; sometimes wide enough to test the 32-bit widths, with a narrow feed-forward
            // (valid), or so wide that the default feed-forward, 4 × Width, overflows (CMP0036).
            string width = Chance(0.9) ? Pick("16", "32", "64") : Pick("1 << 20, FeedForward = 8", "1 << 29", "536870911");
            string options = "Width = " + width + ", MaxLength = 64"
                + ", Norm = NormPlacement." + Pick("Pre", "Post")
                + ", Positions = PositionalEncoding." + Pick("None", "Sinusoidal", "Learned")
                + ", Dropout = " + Pick("0", "0.1")
                + ", Activation = Activation." + Pick("Relu", "Gelu", "Silu");
            switch (kind)
            {
                case "LanguageModel":
                    int depth = _random.Next(1, 5);
                    text.Append("[LanguageModel(Vocabulary = 50, Depth = ").Append(depth).Append(", TieEmbeddings = ").Append(Pick("true", "false")).Append(", ").Append(options).Append(")]\n");
                    SaneMixers(text, depth, causal: true, indent: string.Empty);
                    text.Append("public partial class ").Append(name).Append(SaneBody());
                    break;
                case "Classifier":
                    depth = _random.Next(1, 5);
                    text.Append("[Classifier(Vocabulary = 50, Classes = 3, Depth = ").Append(depth).Append(", Pooling = Pooling.").Append(Pick("Mean", "Max", "First", "Last")).Append(", ").Append(options).Append(")]\n");
                    SaneMixers(text, depth, causal: false, indent: string.Empty);
                    text.Append("public partial class ").Append(name).Append(SaneBody());
                    break;
                default:
                    text.Append("[Seq2Seq(SourceVocabulary = 50, TargetVocabulary = 40, ").Append(options).Append(")]\n");
                    text.Append("public partial class ").Append(name).Append("\n{\n");
                    int encoder = _random.Next(1, 4), decoder = _random.Next(1, 4);
                    string[] stacks = Pick(new[] { "Source", "Target" }, new[] { "@in", "@out" }, new[] { "Encoder", "Decoder" }, new[] { "Кодер", "record" });
                    text.Append("    [Encoder(Depth = ").Append(encoder).Append(")]\n");
                    SaneMixers(text, encoder, causal: false, indent: "    ");
                    text.Append("    public partial class ").Append(stacks[0]).Append(";\n\n");
                    text.Append("    [Decoder(Depth = ").Append(decoder).Append(")]\n");
                    SaneMixers(text, decoder, causal: true, indent: "    ");
                    if (Chance(0.5))
                    {
                        text.Append("    [").Append(Pick("SelfAttention", "SparsemaxAttention", "ScoredAttention")).Append("(Cross = true, Heads = ").Append(Pick("1", "2", "4")).Append(")]\n");
                    }
                    else if (Chance(0.2))
                    {
                        _usesSupport = true;
                        text.Append("    [Mixer<NeedyMixer>(Cross = true, Heads = 2, Kernels = new[] { 3 }, Window = 2)]\n");
                    }

                    text.Append("    public partial class ").Append(stacks[1]).Append(";\n}\n\n");
                    break;
            }
        }

        private void SaneMixers(StringBuilder text, int depth, bool causal, string indent)
        {
            for (int layer = 0; layer < depth; layer++)
            {
                string heads = "Heads = " + Pick("1", "2", "4");
                string mixer = Pick(
                    "SelfAttention(" + heads,
                    "SparsemaxAttention(" + heads,
                    "LinearAttention(FeatureMap = FeatureMap." + Pick("Elu", "Relu") + ", " + heads,
                    "TaylorAttention(" + heads,
                    "LocalAttention(Window = " + Pick("1", "3") + ", " + heads,
                    "ConstantAttention(" + heads,
                    "SynthesizerAttention(Kind = SynthesizerKind." + Pick("Random", "Dense") + ", " + heads,
                    "LightweightConvolution(Kernels = new[] { " + Pick("1", "3", "5") + " }, Glu = " + Pick("true", "false") + ", " + heads,
                    "DynamicConvolution(Kernels = new[] { " + Pick("3", "7") + " }, " + heads,
                    "Recurrent(Cell = RecurrentCell." + Pick("Lstm", "Gru") + (causal ? string.Empty : ", Bidirectional = " + Pick("true", "false")),
                    causal ? "Recurrent(Cell = RecurrentCell.Gru" : "Linformer(ProjectedLength = " + Pick("8", "16") + ", " + heads,
                    "ScoredAttention(Score = AttentionScore." + Pick("Additive", "General", "Dot", "ScaledDot", "Location") + ", Distribution = AttentionDistribution." + Pick("Softmax", "Sigmoid", "Sparsemax") + ", " + heads,
                    "PredictiveLocalAttention(Window = " + Pick("1", "3") + ", " + heads,
                    "MultiDimensionalAttention(Cross = false",
                    "LshAttention(Buckets = " + Pick("2", "4") + ", Rounds = " + Pick("1", "2") + ", ChunkSize = " + Pick("2", "8") + ", Seed = " + Pick("0", "7") + ", " + heads);
                if (Chance(0.05))
                {
                    _usesSupport = true;
                    mixer = "Mixer<NeedyMixer>(Kernels = new[] { " + Pick("1", "3") + " }, Window = " + Pick("1", "2") + ", " + heads;
                }

                text.Append(indent).Append('[').Append(mixer).Append(", Layers = \"").Append(layer).Append("\")]\n");
            }
        }

        /// <summary>The end of a sane model class: mostly none, sometimes members of the user's that the
        /// generated ones leave room for (an overload of Forward, a property).</summary>
        private string SaneBody() => Chance(0.9)
            ? ";\n\n"
            : "\n{\n    public int Seed { get; init; }\n\n    public TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor tokens) => forward(tokens, null);\n}\n\n";

        private string ModelAttribute(string kind)
        {
            var arguments = new List<string>();
            foreach (string option in new[] { "Vocabulary", "SourceVocabulary", "TargetVocabulary", "Classes", "Width", "Depth", "FeedForward", "MaxLength" })
            {
                if (Chance(option is "Width" or "Depth" or "Vocabulary" ? 0.85 : 0.3))
                {
                    arguments.Add(option + " = " + Pick(Ints));
                }
            }

            foreach (string option in new[] { "Dropout", "AttentionDropout", "ActivationDropout", "WeightDropout" })
            {
                if (Chance(0.2))
                {
                    arguments.Add(option + " = " + Pick(Doubles));
                }
            }

            AddEnum(arguments, "Activation", "Activation", "Relu", "Gelu", "Silu");
            AddEnum(arguments, "Norm", "NormPlacement", "Pre", "Post");
            AddEnum(arguments, "Positions", "PositionalEncoding", "None", "Sinusoidal", "Learned");
            AddEnum(arguments, "Pooling", "Pooling", "Mean", "Max", "First", "Last");
            if (Chance(0.2))
            {
                arguments.Add("TieEmbeddings = " + Pick("true", "false"));
            }

            return "[" + kind + "(" + string.Join(", ", Shuffle(arguments)) + ")]\n";
        }

        private string MixerAttribute()
        {
            string mixer = Pick(Mixers);
            string name = mixer == "Mixer" ? "Mixer<" + Pick(MixerTypes) + ">" : mixer;
            var arguments = new List<string>();
            if (Chance(0.5))
            {
                arguments.Add("Layers = " + LayersText());
            }

            if (Chance(0.15))
            {
                arguments.Add("Cross = " + Pick("true", "false"));
            }

            if (Chance(0.5))
            {
                arguments.Add("Heads = " + Pick(Ints));
            }

            if (Chance(0.6))
            {
                arguments.Add("Kernels = " + KernelsText());
            }

            foreach (string option in new[] { "Window", "ProjectedLength", "Buckets", "Rounds", "ChunkSize", "Seed" })
            {
                if (Chance(0.2))
                {
                    arguments.Add(option + " = " + Pick(Ints));
                }
            }

            foreach (string option in new[] { "Glu", "WeightSoftmax", "Bidirectional" })
            {
                if (Chance(0.15))
                {
                    arguments.Add(option + " = " + Pick("true", "false"));
                }
            }

            AddEnum(arguments, "FeatureMap", "FeatureMap", "Elu", "Relu");
            AddEnum(arguments, "Kind", "SynthesizerKind", "Random", "Dense");
            AddEnum(arguments, "Cell", "RecurrentCell", "Lstm", "Gru");
            AddEnum(arguments, "Score", "AttentionScore", "Additive", "General", "Dot", "ScaledDot", "Location");
            AddEnum(arguments, "Distribution", "AttentionDistribution", "Softmax", "Sigmoid", "Sparsemax", "Hard");
            return "[" + name + (arguments.Count > 0 || Chance(0.5) ? "(" + string.Join(", ", Shuffle(arguments)) + ")" : string.Empty) + "]\n";
        }

        private string LayersText()
        {
            if (Chance(0.1))
            {
                return Pick("null", "\"\"", "\" \"");
            }

            return "\"" + string.Concat(Many(1, 6, () => Pick(LayerTokens))) + "\"";
        }

        private string KernelsText()
        {
            string values = string.Join(", ", Many(0, 8, () => Pick("1", "2", "3", "4", "7", "15", "31", "0", "-3", "int.MaxValue")));
            return Pick("new[] { " + values + " }", "new int[] { " + values + " }", "[" + values + "]", "new int[0]", "null");
        }

        private void AddEnum(List<string> arguments, string option, string type, params string[] members)
        {
            if (Chance(0.15))
            {
                arguments.Add(option + " = " + (Chance(0.7) ? type + "." + Pick(members) : "(" + type + ")(" + Pick("-1", "2", "9", "100") + ")"));
            }
        }

        /// <summary>Breaks the syntax: cut the text short, delete a stretch, or splice in junk tokens.</summary>
        private string Break(string source)
        {
            int at = _random.Next(source.Length);
            switch (_random.Next(3))
            {
                case 0:
                    return source.Substring(0, at);
                case 1:
                    return source.Remove(at, Math.Min(_random.Next(1, 40), source.Length - at));
                default:
                    return source.Insert(at, " " + string.Join(" ", Many(1, 4, () => Pick(Junk))) + " ");
            }
        }

        private bool Chance(double probability) => _random.NextDouble() < probability;

        private T Pick<T>(params T[] options) => options[_random.Next(options.Length)];

        private IEnumerable<string> Many(int min, int max, Func<string> next) =>
            Enumerable.Range(0, _random.Next(min, max + 1)).Select(_ => next()).ToList();

        private List<string> Shuffle(List<string> items) => items.OrderBy(_ => _random.Next()).ToList();
    }
}
