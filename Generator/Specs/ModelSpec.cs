namespace Composer.Generator.Specs
{
    /// <summary>
    /// Everything the generator knows about one declared model, as plain values.
    /// </summary>
    /// <remarks>
    /// The contract of every spec type: immutable, value equality (records of strings, enums,
    /// numbers, bools and <see cref="EquatableArray{T}"/>), and no Roslyn symbols, syntax, locations or
    /// compilations, so an unchanged declaration compares equal across edits and stays cached. Values
    /// are stored as written (defaults filled in, nothing resolved); validation and emission derive the
    /// rest. Where each value was written lives apart, in <see cref="ModelSites"/>, so that moving a
    /// declaration changes its diagnostics but not its spec.
    /// </remarks>
    internal sealed record ModelSpec(
        ModelKind Kind,
        string Namespace,
        ClassSpec Class,
        EquatableArray<ClassSpec> ContainingTypes,
        EquatableArray<ModelKind> OtherKinds,
        ModelOptions Options,
        EquatableArray<StackSpec> Stacks);

    /// <summary>The shape of a declared type, enough to check it can receive generated members (a model
    /// or stack class) or be reopened around them (a containing type). <see cref="Name"/> is unescaped
    /// (<c>class</c> for <c>@class</c>). <see cref="BaseClass"/> is the base class the user wrote, or null
    /// when there is none (object). <see cref="Accessibility"/> is the declared accessibility as C#
    /// writes it (<c>public</c>, <c>private</c>, …). <see cref="IsFileLocal"/>: declared <c>file</c>.</summary>
    internal sealed record ClassSpec(
        string Name,
        TypeDeclarationKind Kind,
        bool IsPartial,
        bool IsStatic,
        bool IsGeneric,
        bool IsAbstract,
        string? BaseClass,
        string Accessibility,
        bool IsFileLocal,
        bool HasPrimaryConstructor);

    /// <summary>The model attribute's options. Sizes a model kind does not have stay 0.</summary>
    internal sealed record ModelOptions(
        int Vocabulary,
        int SourceVocabulary,
        int TargetVocabulary,
        int Classes,
        Pooling Pooling,
        int Width,
        int FeedForward,
        Activation Activation,
        NormPlacement Norm,
        double Dropout,
        double AttentionDropout,
        double ActivationDropout,
        double WeightDropout,
        PositionalEncoding Positions,
        bool TieEmbeddings,
        int MaxLength);

    /// <summary>
    /// One stack of layers. A language model or classifier has one, declared on the model class
    /// itself (<see cref="Class"/> is null); a Seq2Seq model has one per nested [Encoder]/[Decoder]
    /// class. <see cref="Mixers"/> holds both self and cross mixers, in declaration order;
    /// <see cref="Structure"/> the stack's reversible and Funnel options.
    /// </summary>
    internal sealed record StackSpec(StackRole Role, ClassSpec? Class, int Depth, EquatableArray<MixerSpec> Mixers, StackStructure Structure)
    {
        public bool IsCausal => Role == StackRole.Decoder;
    }

    /// <summary>
    /// One mixer attribute. Options a mixer kind does not have keep their defaults; <see cref="Kernels"/>
    /// is as written (a single value broadcasts) and <see cref="Layers"/> is the raw selection text
    /// (null: every layer).
    /// </summary>
    internal sealed record MixerSpec(
        MixerKind Kind,
        string Name,
        string? Layers,
        bool Cross,
        int Heads,
        EquatableArray<int> Kernels,
        bool Glu,
        bool WeightSoftmax,
        FeatureMap FeatureMap,
        SynthesizerKind Synthesizer,
        int ProjectedLength,
        int Window,
        RecurrentCell Cell,
        bool Bidirectional,
        AttentionScore Score,
        AttentionDistribution Distribution,
        int Buckets,
        int Rounds,
        int ChunkSize,
        int Seed,
        UserMixerSpec? User);

    /// <summary>
    /// What the declaration tells about a user mixer type, read by name so that no lookup in the
    /// compilation is needed per model: validation judges these facts against <see cref="RuntimeFacts"/>
    /// (without Composer.Runtime only the constructor's shape can be checked).
    /// </summary>
    /// <param name="FullName">Fully qualified (<c>global::Lab.GatedMixer</c>), for emission.</param>
    /// <param name="DisplayName">As users read it, for messages.</param>
    /// <param name="IsResolved">False when the compiler could not resolve the type (it reports that itself).</param>
    /// <param name="IsConcreteClass">A non-abstract, non-static class.</param>
    /// <param name="IsModule">Derives from TorchSharp's torch.nn.Module.</param>
    /// <param name="ImplementsMixer">Implements Composer.Mixers.IMixer.</param>
    /// <param name="ImplementsCross">Implements Composer.Mixers.ICrossMixer.</param>
    /// <param name="HasContextConstructor">Has a public constructor taking only a Composer.Mixers.MixerContext.</param>
    /// <param name="HasContextShapedConstructor">Has a public constructor taking only a type named MixerContext.</param>
    /// <param name="StateType">Fully qualified TState of the Composer.Mixers.IIncrementalMixer&lt;TState&gt; it implements, or null.</param>
    /// <param name="CrossStateType">Fully qualified TState of the Composer.Mixers.IIncrementalCrossMixer&lt;TState&gt; it implements, or null.</param>
    /// <param name="CausalCapable">What its [Composer.Mixers.MixerFacts] says (false without the attribute).</param>
    /// <param name="AlignmentFree">What its [Composer.Mixers.MixerFacts] says (false without the attribute).</param>
    /// <param name="Needs">What its [Composer.Mixers.MixerFacts] says it needs from the declaration (none without the attribute).</param>
    internal sealed record UserMixerSpec(
        string FullName,
        string DisplayName,
        bool IsResolved,
        bool IsConcreteClass,
        bool IsModule,
        bool ImplementsMixer,
        bool ImplementsCross,
        bool HasContextConstructor,
        bool HasContextShapedConstructor,
        string? StateType,
        string? CrossStateType,
        bool CausalCapable,
        bool AlignmentFree,
        MixerNeeds Needs);
}
