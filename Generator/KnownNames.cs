namespace Composer.Generator
{
    /// <summary>Metadata names of the declaration attributes and of the Runtime types the checks
    /// refer to. The generator never references those assemblies; it matches these names.</summary>
    internal static class KnownNames
    {
        public const string Namespace = "Composer";

        public const string LanguageModelAttribute = "Composer.LanguageModelAttribute";
        public const string Seq2SeqAttribute = "Composer.Seq2SeqAttribute";
        public const string ClassifierAttribute = "Composer.ClassifierAttribute";
        public const string EncoderAttribute = "Composer.EncoderAttribute";
        public const string DecoderAttribute = "Composer.DecoderAttribute";
        public const string TrainingExecutableAttribute = "Composer.TrainingExecutableAttribute";

        /// <summary>The generic user-mixer attribute; the backtick arity is part of its metadata name.</summary>
        public const string UserMixerAttribute = "Composer.MixerAttribute`1";

        /// <summary>Every mixer attribute, built-in and user, by metadata name.</summary>
        public static readonly string[] MixerAttributes =
        {
            "Composer.SelfAttentionAttribute",
            "Composer.LightweightConvolutionAttribute",
            "Composer.DynamicConvolutionAttribute",
            "Composer.LinearAttentionAttribute",
            "Composer.TaylorAttentionAttribute",
            "Composer.ConstantAttentionAttribute",
            "Composer.SynthesizerAttentionAttribute",
            "Composer.LinformerAttribute",
            "Composer.LocalAttentionAttribute",
            "Composer.SparsemaxAttentionAttribute",
            "Composer.RecurrentAttribute",
            "Composer.ScoredAttentionAttribute",
            "Composer.PredictiveLocalAttentionAttribute",
            "Composer.MultiDimensionalAttentionAttribute",
            "Composer.LshAttentionAttribute",
            UserMixerAttribute,
        };

        /// <summary>The mixer contract in Composer.Runtime.</summary>
        public const string MixerInterface = "Composer.Mixers.IMixer";

        /// <summary>The single parameter of a mixer's constructor.</summary>
        public const string MixerContext = "Composer.Mixers.MixerContext";

        /// <summary>What a mixer decoding step by step implements (generic, one type parameter: its state).</summary>
        public const string IncrementalMixerInterface = "Composer.Mixers.IIncrementalMixer`1";

        /// <summary>What a cross mixer that digests the memory once for decoding implements (generic: its state).</summary>
        public const string IncrementalCrossMixerInterface = "Composer.Mixers.IIncrementalCrossMixer`1";

        /// <summary>The contract of a cross mixer (decoder attending to the encoder output).</summary>
        public const string CrossMixerInterface = "Composer.Mixers.ICrossMixer";

        /// <summary>The attribute with which a mixer class states what it can do.</summary>
        public const string MixerFactsAttribute = "Composer.Mixers.MixerFactsAttribute";

        /// <summary>What every generated constructor takes; its presence tells that Composer.Runtime is referenced.</summary>
        public const string RuntimeMarker = "Composer.Layers.ModuleContext";

        /// <summary>TorchSharp's module base class (a nested type: <c>torch.nn.Module</c>), which every mixer
        /// derives from, as the compiler displays it.</summary>
        public const string TorchModule = "TorchSharp.torch.nn.Module";
    }
}
