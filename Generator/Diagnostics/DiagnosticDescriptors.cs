using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Composer.Generator.Diagnostics
{
    /// <summary>
    /// Every diagnostic Composer reports, one descriptor per rule. Ids never change meaning once
    /// shipped; each has a section in docs/diagnostics.md with a bad and a fixed declaration.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private static string DiagnosticsDocs()
        {
            foreach (object attribute in typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false))
            {
                if (attribute is System.Reflection.AssemblyMetadataAttribute { Key: "Composer.DiagnosticsDocs", Value: { Length: > 0 } docs })
                {
                    return docs;
                }
            }

            return "docs/diagnostics.md";
        }

        private const string Category = "Composer";

        /// <summary>docs/diagnostics.md as the generator's build recorded it (Composer.Generator.csproj:
        /// the published repository, or the checkout it was built from), followed by <c>#</c>.</summary>
        private static readonly string HelpBase = DiagnosticsDocs() + "#";

        /// <summary>CMP0001: "'{0}' must be declared partial so Composer can generate its members" ({0}: the class (the model, one of its containing types, or a stack class).)</summary>
        public static readonly DiagnosticDescriptor ClassNotPartialError = Create("CMP0001", "Model class must be partial", "'{0}' must be declared partial so Composer can generate its members", DiagnosticSeverity.Error);

        /// <summary>CMP0002: "'{0}' cannot be a model class: {1}" ({0}: the model or stack class; {1}: "it is generic" or "it is nested in the generic type 'Outer&lt;T&gt;'".)</summary>
        public static readonly DiagnosticDescriptor GenericModelError = Create("CMP0002", "Model class cannot be generic", "'{0}' cannot be a model class: {1}", DiagnosticSeverity.Error);

        /// <summary>CMP0003: "'{0}' must be a plain class, not {1}" ({0}: the class; {1}: what it is instead ("a static class", "a record", "a struct", …).)</summary>
        public static readonly DiagnosticDescriptor ModelClassShapeError = Create("CMP0003", "Model class must be a plain class", "'{0}' must be a plain class, not {1}", DiagnosticSeverity.Error);

        /// <summary>CMP0004: "'{0}' is already a [{1}]; remove [{2}]" ({0}: the class; {1}: the first model attribute; {2}: the extra one.)</summary>
        public static readonly DiagnosticDescriptor MultipleModelKindsError = Create("CMP0004", "One model kind per class", "'{0}' is already a [{1}]; remove [{2}]", DiagnosticSeverity.Error);

        /// <summary>CMP0005: "Seq2Seq model '{0}' needs exactly one nested [{1}] class, but has {2}" ({0}: the model; {1}: Encoder or Decoder; {2}: how many it has.)</summary>
        public static readonly DiagnosticDescriptor StackCountError = Create("CMP0005", "Seq2Seq needs one encoder and one decoder", "Seq2Seq model '{0}' needs exactly one nested [{1}] class, but has {2}", DiagnosticSeverity.Error);

        /// <summary>CMP0006: "[{0}] on '{1}' has no effect: it marks a class nested directly in a [Seq2Seq] model" ({0}: Encoder or Decoder; {1}: the class.)</summary>
        public static readonly DiagnosticDescriptor StackOutsideSeq2SeqError = Create("CMP0006", "Encoder or decoder outside a Seq2Seq model", "[{0}] on '{1}' has no effect: it marks a class nested directly in a [Seq2Seq] model", DiagnosticSeverity.Error);

        /// <summary>CMP0007: "[{0}] on '{1}' has no effect: mixers go on a [LanguageModel] or [Classifier] class, or on the [Encoder] or [Decoder] class of a [Seq2Seq] model" ({0}: the mixer attribute; {1}: the class.)</summary>
        public static readonly DiagnosticDescriptor MixerOutsideStackError = Create("CMP0007", "Mixer outside a model", "[{0}] on '{1}' has no effect: mixers go on a [LanguageModel] or [Classifier] class, or on the [Encoder] or [Decoder] class of a [Seq2Seq] model", DiagnosticSeverity.Error);

        /// <summary>CMP0008: "[{0}] needs {1}" ({0}: the attribute; {1}: the option to set.)</summary>
        public static readonly DiagnosticDescriptor MissingOptionError = Create("CMP0008", "Required option missing", "[{0}] needs {1}", DiagnosticSeverity.Error);

        /// <summary>CMP0009: "{0} must be positive, but is {1}" ({0}: the option; {1}: its value.)</summary>
        public static readonly DiagnosticDescriptor NonPositiveSizeError = Create("CMP0009", "Size must be positive", "{0} must be positive, but is {1}", DiagnosticSeverity.Error);

        /// <summary>CMP0010: "Classes must be at least 2, but is {0}" ({0}: the value.)</summary>
        public static readonly DiagnosticDescriptor TooFewClassesError = Create("CMP0010", "A classifier needs at least two classes", "Classes must be at least 2, but is {0}", DiagnosticSeverity.Error);

        /// <summary>CMP0011: "{0} must be in [0, 1), but is {1}" ({0}: the dropout option; {1}: its value.)</summary>
        public static readonly DiagnosticDescriptor DropoutOutOfRangeError = Create("CMP0011", "Dropout outside [0, 1)", "{0} must be in [0, 1), but is {1}", DiagnosticSeverity.Error);

        /// <summary>CMP0012: "{0} = {1} is not a defined {2} value" ({0}: the option; {1}: the numeric value; {2}: the enum.)</summary>
        public static readonly DiagnosticDescriptor UndefinedEnumValueError = Create("CMP0012", "Undefined option value", "{0} = {1} is not a defined {2} value", DiagnosticSeverity.Error);

        /// <summary>CMP0013: "Width {0} is not divisible by the {1} heads of [{2}]" ({0}: the width; {1}: the heads; {2}: the mixer.)</summary>
        public static readonly DiagnosticDescriptor WidthNotDivisibleByHeadsError = Create("CMP0013", "Width must be divisible by heads", "Width {0} is not divisible by the {1} heads of [{2}]", DiagnosticSeverity.Error);

        /// <summary>CMP0014: "A bidirectional [Recurrent] mixer runs Width / 2 channels per direction, so Width must be even, but is {0}" ({0}: the width.)</summary>
        public static readonly DiagnosticDescriptor OddWidthForBidirectionalError = Create("CMP0014", "Bidirectional recurrence needs an even width", "A bidirectional [Recurrent] mixer runs Width / 2 channels per direction, so Width must be even, but is {0}", DiagnosticSeverity.Error);

        /// <summary>CMP0015: "Layers "{0}" is not a layer selection: {1}" ({0}: the text; {1}: what is wrong with it.)</summary>
        public static readonly DiagnosticDescriptor MalformedLayersError = Create("CMP0015", "Malformed layer selection", "Layers \"{0}\" is not a layer selection: {1}", DiagnosticSeverity.Error);

        /// <summary>CMP0016: "Layers "{0}" does not fit '{1}', which has {2}: {3}" ({0}: the text; {1}: the stack; {2}: its depth, "1 layer" or "4 layers"; {3}: what does not fit.)</summary>
        public static readonly DiagnosticDescriptor LayersOutOfRangeError = Create("CMP0016", "Layer selection out of range", "Layers \"{0}\" does not fit '{1}', which has {2}: {3}", DiagnosticSeverity.Error);

        /// <summary>CMP0017: "Layer {0} of '{1}' already has [{2}]; [{3}] covers it too" ({0}: the layer; {1}: the stack; {2}: the first mixer; {3}: the second.)</summary>
        public static readonly DiagnosticDescriptor LayerCoveredTwiceError = Create("CMP0017", "Layer has two mixers", "Layer {0} of '{1}' already has [{2}]; [{3}] covers it too", DiagnosticSeverity.Error);

        /// <summary>CMP0018: "No {0} covers {1} of '{2}'" ({0}: "mixer" or "cross mixer"; {1}: the layers, as a Layers text; {2}: the stack.)</summary>
        public static readonly DiagnosticDescriptor LayerNotCoveredError = Create("CMP0018", "Layer has no mixer", "No {0} covers {1} of '{2}'", DiagnosticSeverity.Error);

        /// <summary>CMP0019: "Kernels has {0}, but [{1}] covers {2}; give one value per layer or a single value for all" ({0}: the number of kernels, "3 values"; {1}: the mixer; {2}: the layers it covers, "1 layer".)</summary>
        public static readonly DiagnosticDescriptor KernelCountMismatchError = Create("CMP0019", "One kernel per layer", "Kernels has {0}, but [{1}] covers {2}; give one value per layer or a single value for all", DiagnosticSeverity.Error);

        /// <summary>CMP0020: "Kernel width must be positive, but is {0}" ({0}: the kernel width.)</summary>
        public static readonly DiagnosticDescriptor NonPositiveKernelError = Create("CMP0020", "Kernel width must be positive", "Kernel width must be positive, but is {0}", DiagnosticSeverity.Error);

        /// <summary>CMP0021: "Kernel width {0} is even, so the centred convolution in '{1}' pads it asymmetrically ({2} left, {3} right)" ({0}: the kernel width; {1}: the stack; {2}, {3}: the padding.)</summary>
        public static readonly DiagnosticDescriptor EvenKernelWarning = Create("CMP0021", "Even kernel in a centred convolution", "Kernel width {0} is even, so the centred convolution in '{1}' pads it asymmetrically ({2} left, {3} right)", DiagnosticSeverity.Warning);

        /// <summary>CMP0022: "[{0}] with WeightSoftmax = false is not validated by the paper's recipe and may not train" ({0}: the convolution mixer.)</summary>
        public static readonly DiagnosticDescriptor WeightSoftmaxDisabledWarning = Create("CMP0022", "Kernel softmax disabled", "[{0}] with WeightSoftmax = false is not validated by the paper's recipe and may not train", DiagnosticSeverity.Warning);

        /// <summary>CMP0023: "[{0}] cannot run in the causal stack of '{1}': {2}" ({0}: the mixer; {1}: the stack; {2}: why.)</summary>
        public static readonly DiagnosticDescriptor NotCausalError = Create("CMP0023", "Mixer cannot be causal", "[{0}] cannot run in the causal stack of '{1}': {2}", DiagnosticSeverity.Error);

        /// <summary>CMP0024: "[{0}] cannot be a cross mixer because {1}; use SelfAttention, LinearAttention, TaylorAttention, SparsemaxAttention, ScoredAttention (key-based scores) or a user mixer" ({0}: the mixer; {1}: why.)</summary>
        public static readonly DiagnosticDescriptor NotAlignmentFreeError = Create("CMP0024", "Cross mixer must be alignment-free", "[{0}] cannot be a cross mixer because {1}; use SelfAttention, LinearAttention, TaylorAttention, SparsemaxAttention, ScoredAttention (key-based scores) or a user mixer", DiagnosticSeverity.Error);

        /// <summary>CMP0025: "Cross = true applies only to mixers on the [Decoder] class of a [Seq2Seq] model" (no arguments.)</summary>
        public static readonly DiagnosticDescriptor CrossOutsideDecoderError = Create("CMP0025", "Cross mixer outside a decoder", "Cross = true applies only to mixers on the [Decoder] class of a [Seq2Seq] model", DiagnosticSeverity.Error);

        /// <summary>CMP0026: "{0} needs a fixed maximum length: set MaxLength on [{1}]" ({0}: what needs it; {1}: the model attribute.)</summary>
        public static readonly DiagnosticDescriptor MaxLengthRequiredError = Create("CMP0026", "MaxLength required", "{0} needs a fixed maximum length: set MaxLength on [{1}]", DiagnosticSeverity.Error);

        /// <summary>CMP0027: "ProjectedLength {0} exceeds MaxLength {1}: Linformer projects the sequence down, not up" ({0}: the projected length; {1}: the maximum length.)</summary>
        public static readonly DiagnosticDescriptor ProjectedLengthTooLongError = Create("CMP0027", "Linformer projects beyond MaxLength", "ProjectedLength {0} exceeds MaxLength {1}: Linformer projects the sequence down, not up", DiagnosticSeverity.Error);

        /// <summary>CMP0028: "'{0}' mixes only by convolution and sees {1}, less than MaxLength {2}: tokens more than {3} apart never interact" ({0}: the stack; {1}: its receptive field; {2}: the maximum length; {3}: the reach, "5 positions".)</summary>
        public static readonly DiagnosticDescriptor ReceptiveFieldInfo = Create("CMP0028", "Convolution stack sees less than MaxLength", "'{0}' mixes only by convolution and sees {1}, less than MaxLength {2}: tokens more than {3} apart never interact", DiagnosticSeverity.Info);

        /// <summary>CMP0029: "'{0}' cannot be a mixer: it must derive from TorchSharp's torch.nn.Module and implement {1}" ({0}: the type; {1}: the contract of its sublayer, Composer.Mixers.IMixer or, for a cross mixer, Composer.Mixers.ICrossMixer.)</summary>
        public static readonly DiagnosticDescriptor UserMixerContractError = Create("CMP0029", "User mixer does not implement the mixer contract", "'{0}' cannot be a mixer: it must derive from TorchSharp's torch.nn.Module and implement {1}", DiagnosticSeverity.Error);

        /// <summary>CMP0030: "'{0}' needs a public constructor taking (Composer.Mixers.MixerContext context)" ({0}: the type.)</summary>
        public static readonly DiagnosticDescriptor UserMixerConstructorError = Create("CMP0030", "User mixer lacks the mixer constructor", "'{0}' needs a public constructor taking (Composer.Mixers.MixerContext context)", DiagnosticSeverity.Error);

        /// <summary>CMP0031: "'{0}' cannot be a mixer: it must be a non-abstract class" ({0}: the type.)</summary>
        public static readonly DiagnosticDescriptor UserMixerNotConcreteError = Create("CMP0031", "User mixer must be a concrete class", "'{0}' cannot be a mixer: it must be a non-abstract class", DiagnosticSeverity.Error);

        /// <summary>CMP0032: "'{0}' is not a Composer model: mark it [LanguageModel], [Seq2Seq] or [Classifier]" ({0}: the type.)</summary>
        public static readonly DiagnosticDescriptor NotAModelError = Create("CMP0032", "Training executable lists a non-model", "'{0}' is not a Composer model: mark it [LanguageModel], [Seq2Seq] or [Classifier]", DiagnosticSeverity.Error);

        /// <summary>CMP0033: "[TrainingExecutable] needs at least one model type" (no arguments.)</summary>
        public static readonly DiagnosticDescriptor NoModelsError = Create("CMP0033", "Training executable lists no models", "[TrainingExecutable] needs at least one model type", DiagnosticSeverity.Error);

        /// <summary>CMP0034: "[TrainingExecutable] lists '{0}' more than once" ({0}: the model.)</summary>
        public static readonly DiagnosticDescriptor DuplicateModelError = Create("CMP0034", "Training executable lists a model twice", "[TrainingExecutable] lists '{0}' more than once", DiagnosticSeverity.Error);

        /// <summary>CMP0035: "[TrainingExecutable] needs an executable project, but this one builds a {0}; set &lt;OutputType&gt;Exe&lt;/OutputType&gt;" ({0}: the output kind.)</summary>
        public static readonly DiagnosticDescriptor NotExecutableWarning = Create("CMP0035", "Training executable in a library", "[TrainingExecutable] needs an executable project, but this one builds a {0}; set <OutputType>Exe</OutputType>", DiagnosticSeverity.Warning);

        /// <summary>CMP0036: "{0}; Composer supports at most {1}: {2}" ({0}: the size, how it is derived and its value; {1}: the limit; {2}: what to lower.)</summary>
        public static readonly DiagnosticDescriptor SizeTooLargeError = Create("CMP0036", "Size beyond the supported range", "{0}; Composer supports at most {1}: {2}", DiagnosticSeverity.Error);

        /// <summary>CMP0037: "'{0}' runs in the causal stack of '{1}', which decodes one position at a time: implement Composer.Mixers.IIncrementalMixer&lt;TState&gt;" ({0}: the mixer type; {1}: the stack.)</summary>
        public static readonly DiagnosticDescriptor UserMixerNotIncrementalError = Create("CMP0037", "User mixer in a decoder cannot decode step by step", "'{0}' runs in the causal stack of '{1}', which decodes one position at a time: implement Composer.Mixers.IIncrementalMixer<TState>", DiagnosticSeverity.Error);

        /// <summary>CMP0038: "'{0}' is checked but not generated: Composer.Runtime is not referenced" ({0}: the model.)</summary>
        public static readonly DiagnosticDescriptor RuntimeMissingWarning = Create("CMP0038", "Composer.Runtime not referenced", "'{0}' is checked but not generated: Composer.Runtime is not referenced", DiagnosticSeverity.Warning);

        /// <summary>CMP0039: "Width {0} is odd, but sinusoidal positions fill channels in sine and cosine pairs; use an even Width, or Positions = PositionalEncoding.Learned or None" ({0}: the width.)</summary>
        public static readonly DiagnosticDescriptor OddWidthForSinusoidalError = Create("CMP0039", "Sinusoidal positions need an even width", "Width {0} is odd, but sinusoidal positions fill channels in sine and cosine pairs; use an even Width, or Positions = PositionalEncoding.Learned or None", DiagnosticSeverity.Error);

        /// <summary>CMP0040: "[{0}] is generated as {1}, which the referenced Composer.Runtime does not have" ({0}: the mixer; {1}: the runtime class.)</summary>
        public static readonly DiagnosticDescriptor RuntimeMixerMissingError = Create("CMP0040", "Mixer missing from the referenced Runtime", "[{0}] is generated as {1}, which the referenced Composer.Runtime does not have", DiagnosticSeverity.Error);

        /// <summary>CMP0041: "'{0}' is file-local, so the file Composer generates cannot reopen it: it would declare a second type named '{0}' and the model would get none of its members; remove the file modifier" ({0}: the model or the type around it.)</summary>
        public static readonly DiagnosticDescriptor FileLocalTypeError = Create("CMP0041", "Model in a file-local type", "'{0}' is file-local, so the file Composer generates cannot reopen it: it would declare a second type named '{0}' and the model would get none of its members; remove the file modifier", DiagnosticSeverity.Error);

        /// <summary>CMP0042: "[{0}] sets {1}, but {2}'s [MixerFacts] does not state Needs = {3}, so the generated code does not pass it; remove {1}, or add {3} to its Needs" ({0}: the mixer; {1}: the option; {2}: the mixer type; {3}: the need.)</summary>
        public static readonly DiagnosticDescriptor UserMixerOptionUnusedWarning = Create("CMP0042", "User mixer option has no effect", "[{0}] sets {1}, but {2}'s [MixerFacts] does not state Needs = {3}, so the generated code does not pass it; remove {1}, or add {3} to its Needs", DiagnosticSeverity.Warning);

        /// <summary>CMP0043: "{0} '{1}' clashes with the {2} that Composer generates in '{3}'; {4}" ({0}: what the user's member is; {1}: its name; {2}: the generated member; {3}: the class; {4}: the fix.)</summary>
        public static readonly DiagnosticDescriptor GeneratedMemberClashError = Create("CMP0043", "Member clashes with a generated member", "{0} '{1}' clashes with the {2} that Composer generates in '{3}'; {4}", DiagnosticSeverity.Error);

        /// <summary>CMP0044: "Buckets must be even, but is {0}: LSH attention hashes with argmax([xR; −xR]), so each of the Buckets / 2 rotation columns fills two buckets" ({0}: the value.)</summary>
        public static readonly DiagnosticDescriptor OddBucketsError = Create("CMP0044", "LSH attention needs an even number of buckets", "Buckets must be even, but is {0}: LSH attention hashes with argmax([xR; −xR]), so each of the Buckets / 2 rotation columns fills two buckets", DiagnosticSeverity.Error);

        /// <summary>CMP0045: "[{0}] uses hard attention, which samples one key: the sample is not differentiable, and training it needs score-function (REINFORCE) gradients, which Composer's training loop does not compute; use AttentionDistribution.Softmax, Sigmoid or Sparsemax" ({0}: the mixer.)</summary>
        public static readonly DiagnosticDescriptor HardAttentionError = Create("CMP0045", "Hard attention is not supported", "[{0}] uses hard attention, which samples one key: the sample is not differentiable, and training it needs score-function (REINFORCE) gradients, which Composer's training loop does not compute; use AttentionDistribution.Softmax, Sigmoid or Sparsemax", DiagnosticSeverity.Error);

        /// <summary>CMP0046: "[MultiDimensionalAttention] in '{0}' keeps one score per query, key and channel: {1} per sequence and layer, and a training step holds several such tensors at once; {2}" ({0}: the stack; {1}: the size for the declared MaxLength and Width; {2}: what to do.)</summary>
        public static readonly DiagnosticDescriptor MultiDimensionalMemoryInfo = Create("CMP0046", "Multi-dimensional attention's memory", "[MultiDimensionalAttention] in '{0}' keeps one score per query, key and channel: {1} per sequence and layer, and a training step holds several such tensors at once; {2}", DiagnosticSeverity.Info);

        /// <summary>CMP0050: "Funnel pooling cannot be used in {0} '{1}': it is causal, and a pooled position mixes a token with the one after it; remove Funnel, or pool in an encoder (a [Classifier], or the [Encoder] of a [Seq2Seq] model)" ({0}: "the language model" or "the decoder"; {1}: the model or stack class.)</summary>
        public static readonly DiagnosticDescriptor FunnelInCausalStackError = Create("CMP0050", "Funnel pooling in a causal stack", "Funnel pooling cannot be used in {0} '{1}': it is causal, and a pooled position mixes a token with the one after it; remove Funnel, or pool in an encoder (a [Classifier], or the [Encoder] of a [Seq2Seq] model)", DiagnosticSeverity.Error);

        /// <summary>CMP0051: "Funnel lists the layers of each block, at least two blocks of at least one layer each, summing to Depth ({0}): {1}" ({0}: the stack's depth; {1}: what is wrong and how to fix it.)</summary>
        public static readonly DiagnosticDescriptor FunnelBlocksError = Create("CMP0051", "Funnel blocks do not fit the stack", "Funnel lists the layers of each block, at least two blocks of at least one layer each, summing to Depth ({0}): {1}", DiagnosticSeverity.Error);

        /// <summary>CMP0052: "Funnel cannot halve the sequence evenly: {0}" ({0}: how many times it pools, what MaxLength must be and a value that works.)</summary>
        public static readonly DiagnosticDescriptor FunnelLengthError = Create("CMP0052", "Funnel needs an evenly halvable length", "Funnel cannot halve the sequence evenly: {0}", DiagnosticSeverity.Error);

        /// <summary>CMP0053: "{0} has no effect without Funnel; declare the blocks with Funnel = new[] {{ … }}, or remove {0}" ({0}: FunnelPooling or FunnelKeepFirst.)</summary>
        public static readonly DiagnosticDescriptor FunnelOptionUnusedWarning = Create("CMP0053", "Funnel option without Funnel", "{0} has no effect without Funnel; declare the blocks with Funnel = new[] {{ … }}, or remove {0}", DiagnosticSeverity.Warning);

        /// <summary>CMP0054: "'{0}' is reversible, which needs Norm = NormPlacement.Pre: a post-norm sublayer, norm(x + f(x)), cannot be undone, so the backward pass could not recompute its input; use pre-norm, or remove Reversible" ({0}: the model or stack class.)</summary>
        public static readonly DiagnosticDescriptor ReversibleNeedsPreNormError = Create("CMP0054", "Reversible stack needs pre-norm", "'{0}' is reversible, which needs Norm = NormPlacement.Pre: a post-norm sublayer, norm(x + f(x)), cannot be undone, so the backward pass could not recompute its input; use pre-norm, or remove Reversible", DiagnosticSeverity.Error);

        /// <summary>CMP0055: "'{0}' cannot be both reversible and a Funnel: pooling keeps half the positions, so a reversible stack could not rebuild the sequence before it from the one after; remove Reversible or Funnel" ({0}: the model or stack class.)</summary>
        public static readonly DiagnosticDescriptor ReversibleFunnelError = Create("CMP0055", "Reversible stack cannot pool", "'{0}' cannot be both reversible and a Funnel: pooling keeps half the positions, so a reversible stack could not rebuild the sequence before it from the one after; remove Reversible or Funnel", DiagnosticSeverity.Error);

        /// <summary>All descriptors, in id order.</summary>
        public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
            ClassNotPartialError,
            GenericModelError,
            ModelClassShapeError,
            MultipleModelKindsError,
            StackCountError,
            StackOutsideSeq2SeqError,
            MixerOutsideStackError,
            MissingOptionError,
            NonPositiveSizeError,
            TooFewClassesError,
            DropoutOutOfRangeError,
            UndefinedEnumValueError,
            WidthNotDivisibleByHeadsError,
            OddWidthForBidirectionalError,
            MalformedLayersError,
            LayersOutOfRangeError,
            LayerCoveredTwiceError,
            LayerNotCoveredError,
            KernelCountMismatchError,
            NonPositiveKernelError,
            EvenKernelWarning,
            WeightSoftmaxDisabledWarning,
            NotCausalError,
            NotAlignmentFreeError,
            CrossOutsideDecoderError,
            MaxLengthRequiredError,
            ProjectedLengthTooLongError,
            ReceptiveFieldInfo,
            UserMixerContractError,
            UserMixerConstructorError,
            UserMixerNotConcreteError,
            NotAModelError,
            NoModelsError,
            DuplicateModelError,
            NotExecutableWarning,
            SizeTooLargeError,
            UserMixerNotIncrementalError,
            RuntimeMissingWarning,
            OddWidthForSinusoidalError,
            RuntimeMixerMissingError,
            FileLocalTypeError,
            UserMixerOptionUnusedWarning,
            GeneratedMemberClashError,
            OddBucketsError,
            HardAttentionError,
            MultiDimensionalMemoryInfo,
            FunnelInCausalStackError,
            FunnelBlocksError,
            FunnelLengthError,
            FunnelOptionUnusedWarning,
            ReversibleNeedsPreNormError,
            ReversibleFunnelError);

        private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
            new DiagnosticDescriptor(
                id,
                title,
                message,
                Category,
                severity,
                isEnabledByDefault: true,
                helpLinkUri: HelpBase + id.ToLowerInvariant());
    }
}
