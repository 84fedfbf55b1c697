using System;
using System.Linq;
using Composer.Generator.Parsing;
using Composer.Generator.Specs;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// The generator reads Composer.Declarations by metadata name and mirrors its enums and defaults;
    /// these tests keep the two in step.
    /// </summary>
    public sealed class DeclarationMirrorTests
    {
        [Theory]
        [InlineData(typeof(Composer.Activation), typeof(Specs.Activation))]
        [InlineData(typeof(Composer.NormPlacement), typeof(Specs.NormPlacement))]
        [InlineData(typeof(Composer.PositionalEncoding), typeof(Specs.PositionalEncoding))]
        [InlineData(typeof(Composer.Pooling), typeof(Specs.Pooling))]
        [InlineData(typeof(Composer.FeatureMap), typeof(Specs.FeatureMap))]
        [InlineData(typeof(Composer.SynthesizerKind), typeof(Specs.SynthesizerKind))]
        [InlineData(typeof(Composer.RecurrentCell), typeof(Specs.RecurrentCell))]
        [InlineData(typeof(Composer.AttentionScore), typeof(Specs.AttentionScore))]
        [InlineData(typeof(Composer.AttentionDistribution), typeof(Specs.AttentionDistribution))]
        [InlineData(typeof(Composer.FunnelPooling), typeof(Specs.FunnelPooling))]
        [InlineData(typeof(Composer.Mixers.MixerNeeds), typeof(Specs.MixerNeeds))]
        public void EnumsMirrorTheDeclarations(Type declared, Type mirrored)
        {
            Assert.Equal(Members(declared), Members(mirrored));

            static (string, int)[] Members(Type type) =>
                Enum.GetValues(type).Cast<object>().Select(v => (v.ToString()!, Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        }

        [Fact]
        public void DefaultsMirrorTheDeclarations()
        {
            var model = new LanguageModelAttribute();
            Assert.Equal((int)Defaults.Activation, (int)model.Activation);
            Assert.Equal((int)Defaults.Norm, (int)model.Norm);
            Assert.Equal(Defaults.Dropout, model.Dropout);
            Assert.Equal(0, model.AttentionDropout);
            Assert.Equal(0, model.ActivationDropout);
            Assert.Equal(0, model.WeightDropout);
            Assert.Equal((int)Defaults.Positions, (int)model.Positions);
            Assert.Equal((int)Defaults.Pooling, (int)new ClassifierAttribute().Pooling);

            Assert.Equal(Defaults.Heads, new SelfAttentionAttribute().Heads);
            var convolution = new LightweightConvolutionAttribute();
            Assert.Equal(Defaults.Glu, convolution.Glu);
            Assert.Equal(Defaults.WeightSoftmax, convolution.WeightSoftmax);
            Assert.Equal(Defaults.WeightSoftmax, new DynamicConvolutionAttribute().WeightSoftmax);
            Assert.Equal((int)Defaults.FeatureMap, (int)new LinearAttentionAttribute().FeatureMap);
            Assert.Equal((int)Defaults.Synthesizer, (int)new SynthesizerAttentionAttribute().Kind);
            Assert.Equal((int)Defaults.Cell, (int)new RecurrentAttribute().Cell);
            var scored = new ScoredAttentionAttribute();
            Assert.Equal(Defaults.Heads, scored.Heads);
            Assert.Equal((int)Defaults.Score, (int)scored.Score);
            Assert.Equal((int)Defaults.Distribution, (int)scored.Distribution);
            Assert.Equal(Defaults.Heads, new PredictiveLocalAttentionAttribute().Heads);
            var lsh = new LshAttentionAttribute();
            Assert.Equal(Defaults.Heads, lsh.Heads);
            Assert.Equal(Defaults.LshBuckets, lsh.Buckets);
            Assert.Equal(Defaults.LshRounds, lsh.Rounds);
            Assert.Equal(Defaults.LshChunkSize, lsh.ChunkSize);
            Assert.Equal(0, lsh.Seed);

            // What a stack that declares none of its structure options reads as.
            foreach (var (reversible, funnel, pooling, keepFirst) in new (bool, int[]?, FunnelPooling, bool)[]
            {
                (model.Reversible, model.Funnel, model.FunnelPooling, model.FunnelKeepFirst),
                (new ClassifierAttribute().Reversible, new ClassifierAttribute().Funnel, new ClassifierAttribute().FunnelPooling, new ClassifierAttribute().FunnelKeepFirst),
                (new EncoderAttribute().Reversible, new EncoderAttribute().Funnel, new EncoderAttribute().FunnelPooling, new EncoderAttribute().FunnelKeepFirst),
                (new DecoderAttribute().Reversible, new DecoderAttribute().Funnel, new DecoderAttribute().FunnelPooling, new DecoderAttribute().FunnelKeepFirst),
            })
            {
                Assert.Equal(StackStructure.None.Reversible, reversible);
                Assert.Null(funnel);
                Assert.Equal((int)StackStructure.None.FunnelPooling, (int)pooling);
                Assert.Equal(StackStructure.None.FunnelKeepFirst, keepFirst);
            }
        }

        [Fact]
        public void EveryMixerAttributeIsKnownToTheGenerator()
        {
            var mixers = typeof(TokenMixerAttribute).Assembly.GetExportedTypes()
                .Where(t => t.IsSubclassOf(typeof(TokenMixerAttribute)) && !t.IsAbstract)
                .Select(t => t.FullName!)
                .OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(mixers, KnownNames.MixerAttributes.OrderBy(n => n, StringComparer.Ordinal));

            foreach (string name in KnownNames.MixerAttributes)
            {
                Assert.NotNull(Symbols.MixerKindOf(name.Substring(KnownNames.Namespace.Length + 1)));
            }
        }

        [Fact]
        public void ModelAndStackAttributesHaveTheMetadataNamesTheGeneratorMatches()
        {
            Assert.Equal(KnownNames.LanguageModelAttribute, typeof(LanguageModelAttribute).FullName);
            Assert.Equal(KnownNames.Seq2SeqAttribute, typeof(Seq2SeqAttribute).FullName);
            Assert.Equal(KnownNames.ClassifierAttribute, typeof(ClassifierAttribute).FullName);
            Assert.Equal(KnownNames.EncoderAttribute, typeof(EncoderAttribute).FullName);
            Assert.Equal(KnownNames.DecoderAttribute, typeof(DecoderAttribute).FullName);
            Assert.Equal(KnownNames.TrainingExecutableAttribute, typeof(TrainingExecutableAttribute).FullName);
            Assert.Equal(KnownNames.UserMixerAttribute, typeof(MixerAttribute<>).FullName);
        }

        /// <summary>
        /// The syntactic reader knows every declaration attribute but the generic user mixer and
        /// [TrainingExecutable], with every settable option and its type: an option it did not know
        /// would send every declaration using it through the compiler, one with the wrong type would be
        /// read wrongly from syntax.
        /// </summary>
        [Fact]
        public void TheSyntacticReaderKnowsEveryAttributeOption()
        {
            var declared = typeof(LanguageModelAttribute).Assembly.GetExportedTypes()
                .Where(t => t.IsSubclassOf(typeof(Attribute)) && !t.IsAbstract && !t.IsGenericTypeDefinition && t != typeof(TrainingExecutableAttribute))
                .ToDictionary(t => t.Name, t => t.GetProperties().Where(p => p.CanWrite && p.SetMethod!.IsPublic).ToDictionary(p => p.Name, p => Describe(p.PropertyType)));
            var mirrored = AttributeShape.All.ToDictionary(a => a.Key, a => a.Value.Options.ToDictionary(o => o.Key, o => o.Value.Type == OptionType.Enum ? "enum " + o.Value.EnumName : o.Value.Type.ToString()));

            Assert.Equal(declared.Keys.OrderBy(k => k, StringComparer.Ordinal), mirrored.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (name, options) in declared)
            {
                Assert.Equal(options.OrderBy(o => o.Key, StringComparer.Ordinal), mirrored[name].OrderBy(o => o.Key, StringComparer.Ordinal));
            }

            static string Describe(Type type) =>
                type == typeof(int) ? nameof(OptionType.Int)
                : type == typeof(double) ? nameof(OptionType.Double)
                : type == typeof(bool) ? nameof(OptionType.Bool)
                : type == typeof(string) ? nameof(OptionType.String)
                : type == typeof(int[]) ? nameof(OptionType.IntArray)
                : type.IsEnum ? "enum " + type.Name
                : "unsupported " + type.Name;
        }
    }
}
