using System.Collections.Generic;

namespace Composer.Generator.Parsing
{
    /// <summary>The type of an attribute option, as far as reading a written value needs to know it.</summary>
    internal enum OptionType
    {
        Int,
        Double,
        Bool,
        String,
        IntArray,
        Enum,
    }

    /// <summary>One settable option of a declaration attribute; <see cref="EnumName"/> names the enum of an
    /// <see cref="OptionType.Enum"/> option (<c>Activation</c>, …).</summary>
    internal sealed class OptionShape
    {
        public OptionShape(OptionType type, string? enumName = null)
        {
            Type = type;
            EnumName = enumName;
        }

        public OptionType Type { get; }

        public string? EnumName { get; }
    }

    /// <summary>
    /// The declaration attributes as the syntactic reader needs them: the names they can be written with
    /// and the options each has, mirrored from Composer.Declarations (a test keeps the two in step). The
    /// generic user-mixer attribute is not here: reading it needs the type argument's symbol.
    /// </summary>
    internal sealed class AttributeShape
    {
        private AttributeShape(string metadataName, IReadOnlyDictionary<string, OptionShape> options)
        {
            MetadataName = metadataName;
            Options = options;
        }

        /// <summary>The attribute class's name, e.g. <c>LanguageModelAttribute</c>.</summary>
        public string MetadataName { get; }

        /// <summary>Every public settable property, inherited ones included.</summary>
        public IReadOnlyDictionary<string, OptionShape> Options { get; }

        /// <summary>The enums attribute options use, by name; values are the generator's mirrors.</summary>
        public static readonly IReadOnlyDictionary<string, System.Type> Enums = new Dictionary<string, System.Type>
        {
            ["Activation"] = typeof(Specs.Activation),
            ["NormPlacement"] = typeof(Specs.NormPlacement),
            ["PositionalEncoding"] = typeof(Specs.PositionalEncoding),
            ["Pooling"] = typeof(Specs.Pooling),
            ["FeatureMap"] = typeof(Specs.FeatureMap),
            ["SynthesizerKind"] = typeof(Specs.SynthesizerKind),
            ["RecurrentCell"] = typeof(Specs.RecurrentCell),
            ["AttentionScore"] = typeof(Specs.AttentionScore),
            ["AttentionDistribution"] = typeof(Specs.AttentionDistribution),
            ["FunnelPooling"] = typeof(Specs.FunnelPooling),
        };

        /// <summary>Every attribute the syntactic reader handles, by metadata name.</summary>
        public static readonly IReadOnlyDictionary<string, AttributeShape> All = Build();

        /// <summary>The attribute a written name (<c>LanguageModel</c> or <c>LanguageModelAttribute</c>) denotes, if any.</summary>
        public static AttributeShape? ForWrittenName(string name)
        {
            if (All.TryGetValue(name, out AttributeShape? shape))
            {
                return shape;
            }

            return All.TryGetValue(name + "Attribute", out shape) ? shape : null;
        }

        private static Dictionary<string, AttributeShape> Build()
        {
            var model = new Dictionary<string, OptionShape>
            {
                ["Width"] = new OptionShape(OptionType.Int),
                ["FeedForward"] = new OptionShape(OptionType.Int),
                ["Activation"] = new OptionShape(OptionType.Enum, "Activation"),
                ["Norm"] = new OptionShape(OptionType.Enum, "NormPlacement"),
                ["Dropout"] = new OptionShape(OptionType.Double),
                ["AttentionDropout"] = new OptionShape(OptionType.Double),
                ["ActivationDropout"] = new OptionShape(OptionType.Double),
                ["WeightDropout"] = new OptionShape(OptionType.Double),
                ["Positions"] = new OptionShape(OptionType.Enum, "PositionalEncoding"),
                ["MaxLength"] = new OptionShape(OptionType.Int),
            };
            var mixer = new Dictionary<string, OptionShape>
            {
                ["Layers"] = new OptionShape(OptionType.String),
                ["Cross"] = new OptionShape(OptionType.Bool),
            };
            var heads = new OptionShape(OptionType.Int);
            var convolution = new Dictionary<string, OptionShape>
            {
                ["Heads"] = heads,
                ["Kernels"] = new OptionShape(OptionType.IntArray),
                ["Glu"] = new OptionShape(OptionType.Bool),
                ["WeightSoftmax"] = new OptionShape(OptionType.Bool),
            };

            var all = new Dictionary<string, AttributeShape>();
            void Add(string name, Dictionary<string, OptionShape> inherited, Dictionary<string, OptionShape> own)
            {
                var options = new Dictionary<string, OptionShape>(inherited);
                foreach (var pair in own)
                {
                    options[pair.Key] = pair.Value;
                }

                all[name] = new AttributeShape(name, options);
            }

            var none = new Dictionary<string, OptionShape>();

            // What every stack attribute (and a single-stack model's) declares about its wiring.
            var structure = new Dictionary<string, OptionShape>
            {
                ["Reversible"] = new OptionShape(OptionType.Bool),
                ["Funnel"] = new OptionShape(OptionType.IntArray),
                ["FunnelPooling"] = new OptionShape(OptionType.Enum, "FunnelPooling"),
                ["FunnelKeepFirst"] = new OptionShape(OptionType.Bool),
            };
            Dictionary<string, OptionShape> With(Dictionary<string, OptionShape> own)
            {
                foreach (var pair in structure)
                {
                    own[pair.Key] = pair.Value;
                }

                return own;
            }

            Add("LanguageModelAttribute", model, With(new Dictionary<string, OptionShape>
            {
                ["Vocabulary"] = new OptionShape(OptionType.Int),
                ["Depth"] = new OptionShape(OptionType.Int),
                ["TieEmbeddings"] = new OptionShape(OptionType.Bool),
            }));
            Add("Seq2SeqAttribute", model, new Dictionary<string, OptionShape>
            {
                ["SourceVocabulary"] = new OptionShape(OptionType.Int),
                ["TargetVocabulary"] = new OptionShape(OptionType.Int),
                ["TieEmbeddings"] = new OptionShape(OptionType.Bool),
            });
            Add("ClassifierAttribute", model, With(new Dictionary<string, OptionShape>
            {
                ["Vocabulary"] = new OptionShape(OptionType.Int),
                ["Depth"] = new OptionShape(OptionType.Int),
                ["Classes"] = new OptionShape(OptionType.Int),
                ["Pooling"] = new OptionShape(OptionType.Enum, "Pooling"),
            }));
            var depth = With(new Dictionary<string, OptionShape> { ["Depth"] = new OptionShape(OptionType.Int) });
            Add("EncoderAttribute", none, depth);
            Add("DecoderAttribute", none, depth);

            var justHeads = new Dictionary<string, OptionShape> { ["Heads"] = heads };
            Add("SelfAttentionAttribute", mixer, justHeads);
            Add("SparsemaxAttentionAttribute", mixer, justHeads);
            Add("TaylorAttentionAttribute", mixer, justHeads);
            Add("ConstantAttentionAttribute", mixer, justHeads);
            Add("LightweightConvolutionAttribute", mixer, convolution);
            Add("DynamicConvolutionAttribute", mixer, convolution);
            Add("LinearAttentionAttribute", mixer, new Dictionary<string, OptionShape> { ["Heads"] = heads, ["FeatureMap"] = new OptionShape(OptionType.Enum, "FeatureMap") });
            Add("SynthesizerAttentionAttribute", mixer, new Dictionary<string, OptionShape> { ["Heads"] = heads, ["Kind"] = new OptionShape(OptionType.Enum, "SynthesizerKind") });
            Add("LinformerAttribute", mixer, new Dictionary<string, OptionShape> { ["Heads"] = heads, ["ProjectedLength"] = new OptionShape(OptionType.Int) });
            Add("LocalAttentionAttribute", mixer, new Dictionary<string, OptionShape> { ["Heads"] = heads, ["Window"] = new OptionShape(OptionType.Int) });
            Add("RecurrentAttribute", mixer, new Dictionary<string, OptionShape>
            {
                ["Cell"] = new OptionShape(OptionType.Enum, "RecurrentCell"),
                ["Bidirectional"] = new OptionShape(OptionType.Bool),
            });
            Add("ScoredAttentionAttribute", mixer, new Dictionary<string, OptionShape>
            {
                ["Heads"] = heads,
                ["Score"] = new OptionShape(OptionType.Enum, "AttentionScore"),
                ["Distribution"] = new OptionShape(OptionType.Enum, "AttentionDistribution"),
            });
            Add("PredictiveLocalAttentionAttribute", mixer, new Dictionary<string, OptionShape> { ["Heads"] = heads, ["Window"] = new OptionShape(OptionType.Int) });
            Add("MultiDimensionalAttentionAttribute", mixer, none);
            Add("LshAttentionAttribute", mixer, new Dictionary<string, OptionShape>
            {
                ["Heads"] = heads,
                ["Buckets"] = new OptionShape(OptionType.Int),
                ["Rounds"] = new OptionShape(OptionType.Int),
                ["ChunkSize"] = new OptionShape(OptionType.Int),
                ["Seed"] = new OptionShape(OptionType.Int),
            });
            return all;
        }
    }
}
