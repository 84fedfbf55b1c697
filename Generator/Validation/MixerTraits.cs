using Composer.Generator.Specs;

namespace Composer.Generator.Validation
{
    /// <summary>What each mixer kind can do (MIXERS.md §12): heads, causal use, cross use, and
    /// whether it has parameters shaped by the maximum length.</summary>
    internal static class MixerTraits
    {
        public static bool HasHeads(MixerKind kind) => kind is not (MixerKind.Recurrent or MixerKind.MultiDimensionalAttention or MixerKind.User);

        /// <summary>
        /// Whether the mixer needs <paramref name="need"/> from the declaration: for a built-in mixer as
        /// its kind says (heads for every one but the recurrence, a kernel for the convolutions, a window
        /// for local attention, MaxLength where parameters are shaped by it), for a user mixer as its
        /// [MixerFacts(Needs = …)] says. The rules check what is needed the same way for both.
        /// </summary>
        public static bool Needs(MixerSpec mixer, MixerNeeds need)
        {
            if (mixer.Kind == MixerKind.User)
            {
                return mixer.User is { } user && (user.Needs & need) != 0;
            }

            return need switch
            {
                MixerNeeds.Heads => HasHeads(mixer.Kind),
                MixerNeeds.Kernel => IsConvolution(mixer.Kind),
                MixerNeeds.Window => mixer.Kind is MixerKind.LocalAttention or MixerKind.PredictiveLocalAttention,
                MixerNeeds.MaxLength => NeedsMaxLength(mixer.Kind) || IsLocationScore(mixer),
                _ => false,
            };
        }

        public static bool IsConvolution(MixerKind kind) =>
            kind is MixerKind.LightweightConvolution or MixerKind.DynamicConvolution;

        /// <summary>Linformer E/F, Synthesizer logits and constant matrices are (MaxLength × …) parameters.</summary>
        public static bool NeedsMaxLength(MixerKind kind) =>
            kind is MixerKind.Linformer or MixerKind.SynthesizerAttention or MixerKind.ConstantAttention;

        /// <summary>Scored attention with the location-based score, whose (MaxLength × D) weights score positions.</summary>
        public static bool IsLocationScore(MixerSpec mixer) =>
            mixer.Kind == MixerKind.ScoredAttention && mixer.Score == AttentionScore.Location;

        /// <summary>Why the mixer cannot run causally (MIXERS.md §12 C1), or null when it can.</summary>
        public static string? NotCausalReason(MixerSpec mixer) => mixer.Kind switch
        {
            MixerKind.Linformer => "its sequence projection mixes future positions into every key",
            MixerKind.Recurrent when mixer.Bidirectional => "a bidirectional recurrence reads the tokens to its right",
            MixerKind.User when mixer.User?.CausalCapable == false => "its class does not state [MixerFacts(CausalCapable = true)]",
            _ => null,
        };

        /// <summary>Why the mixer cannot attend from the target to the source (MIXERS.md §12 C6), or
        /// null when it is alignment-free.</summary>
        public static string? NotAlignmentFreeReason(MixerSpec mixer) => mixer.Kind switch
        {
            MixerKind.User when mixer.User?.AlignmentFree == false => "its class does not state [MixerFacts(AlignmentFree = true)]",
            MixerKind.LightweightConvolution or MixerKind.DynamicConvolution =>
                "its kernel slides over positions, and target positions do not line up with source positions",
            MixerKind.ConstantAttention or MixerKind.SynthesizerAttention =>
                "its weights are tied to positions rather than to content, and target positions do not line up with source positions",
            MixerKind.LocalAttention => "its window assumes that target and source positions line up",
            MixerKind.PredictiveLocalAttention => "its window is placed by position, and target positions do not line up with source positions",
            MixerKind.ScoredAttention when mixer.Score == AttentionScore.Location =>
                "the location-based score weights key positions, not key contents, and target positions do not line up with source positions",
            MixerKind.MultiDimensionalAttention => "Composer's multi-dimensional attention mixes one sequence and takes no separate memory",
            MixerKind.LshAttention => "its queries and keys share one projection and hash one sequence into buckets, so it takes no separate memory",
            MixerKind.Linformer => "Composer's Linformer compresses the sequence it mixes and takes no separate memory",
            MixerKind.Recurrent => "a recurrence mixes one sequence and takes no separate memory",
            _ => null,
        };
    }
}
