namespace Composer.Generator.Specs
{
    /// <summary>The declaration attributes' default values, for options that were not written (a test
    /// compares them with the attributes themselves).</summary>
    internal static class Defaults
    {
        public const Activation Activation = Specs.Activation.Gelu;
        public const NormPlacement Norm = NormPlacement.Pre;
        public const double Dropout = 0.1;
        public const PositionalEncoding Positions = PositionalEncoding.Sinusoidal;
        public const Pooling Pooling = Specs.Pooling.Mean;
        public const int Heads = 8;
        public const bool Glu = true;
        public const bool WeightSoftmax = true;
        public const FeatureMap FeatureMap = Specs.FeatureMap.Elu;
        public const SynthesizerKind Synthesizer = SynthesizerKind.Random;
        public const RecurrentCell Cell = RecurrentCell.Lstm;
        public const AttentionScore Score = AttentionScore.Additive;
        public const AttentionDistribution Distribution = AttentionDistribution.Softmax;
        public const int LshBuckets = 32;
        public const int LshRounds = 4;
        public const int LshChunkSize = 64;

        /// <summary>A Linformer with no ProjectedLength projects to MaxLength / 4 (fairseq's default).</summary>
        public const int LinformerCompression = 4;
    }
}
