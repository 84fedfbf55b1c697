namespace Composer.Generator.Specs
{
    // The generator reads Composer.Declarations by metadata name and never references it, so the
    // declaration enums are mirrored here with the same numeric values (a test keeps them in step).

    internal enum ModelKind
    {
        LanguageModel,
        Seq2Seq,
        Classifier,
    }

    /// <summary>A decoder stack is causal; an encoder stack sees the whole sequence.</summary>
    internal enum StackRole
    {
        Decoder,
        Encoder,
    }

    /// <summary>What kind of type a declaration is: a container is reopened with its own kind.</summary>
    internal enum TypeDeclarationKind
    {
        Class,
        Record,
        Struct,
        RecordStruct,
        Interface,

        /// <summary>An enum or delegate, which can hold no generated members.</summary>
        Other,
    }

    internal enum MixerKind
    {
        SelfAttention,
        LightweightConvolution,
        DynamicConvolution,
        LinearAttention,
        TaylorAttention,
        ConstantAttention,
        SynthesizerAttention,
        Linformer,
        LocalAttention,
        SparsemaxAttention,
        Recurrent,
        ScoredAttention,
        PredictiveLocalAttention,
        MultiDimensionalAttention,
        LshAttention,
        User,
    }

    /// <summary>What a mixer needs from the declaration: Composer.Mixers.MixerNeeds, which a user
    /// mixer states in its [MixerFacts] (the built-in mixers' needs are in MixerTraits).</summary>
    [System.Flags]
    internal enum MixerNeeds
    {
        None = 0,
        Heads = 1,
        Kernel = 2,
        MaxLength = 4,
        Window = 8,
    }

    internal enum Activation
    {
        Relu,
        Gelu,
        Silu,
    }

    internal enum NormPlacement
    {
        Pre,
        Post,
    }

    internal enum PositionalEncoding
    {
        None,
        Sinusoidal,
        Learned,
    }

    internal enum Pooling
    {
        Mean,
        Max,
        First,
        Last,
    }

    internal enum FeatureMap
    {
        Elu,
        Relu,
    }

    internal enum SynthesizerKind
    {
        Random,
        Dense,
    }

    internal enum RecurrentCell
    {
        Lstm,
        Gru,
    }

    internal enum AttentionScore
    {
        Additive,
        General,
        Dot,
        ScaledDot,
        Location,
    }

    internal enum AttentionDistribution
    {
        Softmax,
        Sigmoid,
        Sparsemax,
        Hard,
    }
}
