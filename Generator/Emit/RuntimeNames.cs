namespace Composer.Generator.Emit
{
    /// <summary>The Composer.Runtime and TorchSharp types generated code refers to, fully qualified so no
    /// user <c>using</c> or type name can capture them.</summary>
    internal static class RuntimeNames
    {
        public const string Tensor = "global::TorchSharp.torch.Tensor";
        public const string Module = "global::TorchSharp.torch.nn.Module";
        public const string ModuleList = "global::TorchSharp.Modules.ModuleList<" + Module + ">";
        public const string Linear = "global::Composer.Layers.Linear";
        public const string Functional = "global::TorchSharp.torch.nn.functional";
        public const string Device = "global::TorchSharp.torch.Device";
        public const string ScalarType = "global::TorchSharp.torch.ScalarType";
        public const string Cpu = "global::TorchSharp.torch.CPU";

        /// <summary>Base of language models, classifiers and encoder stacks: forward(tokens, padding).</summary>
        public const string SequenceModule = Module + "<" + Tensor + ", " + Tensor + "?, " + Tensor + ">";

        /// <summary>Base of encoder–decoder models and decoder stacks: forward(tokens, padding, tokens or memory, padding).</summary>
        public const string PairModule = Module + "<" + Tensor + ", " + Tensor + "?, " + Tensor + ", " + Tensor + "?, " + Tensor + ">";

        public const string ModuleContext = "global::Composer.Layers.ModuleContext";
        public const string Block = "global::Composer.Layers.Block";
        public const string CrossBlock = "global::Composer.Layers.CrossBlock";
        public const string Embedding = "global::Composer.Layers.Embedding";
        public const string LayerNorm = "global::Composer.Layers.LayerNorm";
        public const string Dropout = "global::Composer.Layers.Dropout";
        public const string SinusoidalPositions = "global::Composer.Layers.SinusoidalPositions";
        public const string LearnedPositions = "global::Composer.Layers.LearnedPositions";
        public const string SequencePooling = "global::Composer.Layers.SequencePooling";
        public const string FunnelPool = "global::Composer.Layers.FunnelPool";
        public const string Reversible = "global::Composer.Layers.Reversible";
        public const string ReversibleSublayer = "global::Composer.Layers.ReversibleSublayer";

        public const string MixerContext = "global::Composer.Mixers.MixerContext";
        public const string Mixers = "global::Composer.Mixers.";

        public const string ILanguageModel = "global::Composer.Models.ILanguageModel";
        public const string ISeq2SeqModel = "global::Composer.Models.ISeq2SeqModel";
        public const string IClassifier = "global::Composer.Models.IClassifier";
        public const string IDecodingState = "global::Composer.Models.IDecodingState";
        public const string ModelDescription = "global::Composer.Models.ModelDescription";
        public const string LayerDescription = "global::Composer.Models.LayerDescription";
        public const string ModelKindEnum = "global::Composer.Models.ModelKind";
        public const string ModelEntry = "global::Composer.Models.ModelEntry";
        public const string ModelSummary = "global::Composer.Cli.ModelSummary";
        public const string TrainingProgram = "global::Composer.Cli.TrainingProgram";

        public const string ActivationEnum = "global::Composer.Activation";
        public const string FeatureMap = "global::Composer.FeatureMap";
        public const string SynthesizerKind = "global::Composer.SynthesizerKind";
        public const string RecurrentCell = "global::Composer.RecurrentCell";
        public const string AttentionScore = "global::Composer.AttentionScore";
        public const string AttentionDistribution = "global::Composer.AttentionDistribution";

        public const string Setting = "global::System.Collections.Generic.KeyValuePair<string, string>";
        public const string ArgumentException = "global::System.ArgumentException";
    }
}
