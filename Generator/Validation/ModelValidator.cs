using System.Linq;
using System.Threading;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;

namespace Composer.Generator.Validation
{
    /// <summary>
    /// Validate stage: runs every rule over one parsed model. Rules are pure functions, one per
    /// diagnostic id, and report into the <see cref="ModelCheck"/>; none of them throws.
    /// </summary>
    internal static class ModelValidator
    {
        public static ValidatedModel Validate(ParsedModel model, RuntimeFacts facts, CancellationToken cancellationToken)
        {
            var check = new ModelCheck(model, facts);

            // A class with two model attributes is reported once, by the first kind; the others stay
            // silent rather than repeat every finding.
            if (model.Spec.OtherKinds.Any(other => other < model.Spec.Kind))
            {
                return new ValidatedModel(model.Spec, false, false, EquatableArray<Diagnostics.DiagnosticInfo>.Empty);
            }

            DeclarationRules.ClassNotPartial(check);
            DeclarationRules.GenericModel(check);
            DeclarationRules.ModelClassShape(check);
            DeclarationRules.FileLocalType(check);
            DeclarationRules.MultipleModelKinds(check);
            DeclarationRules.StackCount(check);

            OptionRules.MissingOption(check);
            OptionRules.NonPositiveSize(check);
            OptionRules.TooFewClasses(check);
            OptionRules.DropoutOutOfRange(check);
            OptionRules.UndefinedEnumValue(check);
            OptionRules.WidthNotDivisibleByHeads(check);
            OptionRules.OddWidthForBidirectional(check);
            OptionRules.SizeTooLarge(check);
            OptionRules.OddWidthForSinusoidal(check);
            cancellationToken.ThrowIfCancellationRequested();

            LayerRules.MalformedLayers(check);
            LayerRules.LayersOutOfRange(check);
            LayerRules.LayerCoveredTwice(check);
            LayerRules.LayerNotCovered(check);
            LayerRules.CrossOutsideDecoder(check);

            KernelRules.KernelCountMismatch(check);
            KernelRules.NonPositiveKernel(check);
            KernelRules.EvenKernel(check);
            KernelRules.WeightSoftmaxDisabled(check);
            KernelRules.ReceptiveField(check);

            MixerRules.NotCausal(check);
            MixerRules.NotAlignmentFree(check);
            MixerRules.MaxLengthRequired(check);
            MixerRules.ProjectedLengthTooLong(check);
            MixerRules.UserMixerNotConcrete(check);
            MixerRules.UserMixerContract(check);
            MixerRules.UserMixerConstructor(check);
            MixerRules.UserMixerNotIncremental(check);
            MixerRules.UserMixerOptionUnused(check);
            MixerRules.RuntimeMissing(check);
            MixerRules.RuntimeMixerMissing(check);

            AttentionRules.OddBuckets(check);
            AttentionRules.HardAttention(check);
            AttentionRules.MultiDimensionalMemory(check);
            StructureRules.FunnelInCausalStack(check);
            StructureRules.FunnelBlocks(check);
            StructureRules.FunnelLength(check);
            StructureRules.FunnelOptionUnused(check);
            StructureRules.ReversibleNeedsPreNorm(check);
            StructureRules.ReversibleFunnel(check);

            // Last: these look at what would be generated for a declaration the rules above found valid.
            OptionRules.ParameterCountTooLarge(check);
            MemberRules.GeneratedMemberClash(check);

            bool valid = check.Diagnostics.All(d => d.Descriptor.DefaultSeverity != DiagnosticSeverity.Error) && !check.HasUnknown;
            return new ValidatedModel(model.Spec, valid, valid && facts.HasRuntime, check.Diagnostics.ToEquatableArray());
        }
    }
}
