using Composer.Generator.Emit;
using Composer.Generator.Specs;
using static Composer.Generator.Diagnostics.DiagnosticDescriptors;

namespace Composer.Generator.Validation
{
    /// <summary>Rules about a stack's wiring: Funnel pooling (MIXERS.md §10) and reversible coupling (§9),
    /// CMP0050–CMP0055.</summary>
    internal static class StructureRules
    {
        /// <summary>The most poolings whose stride, 2^n, a positive int MaxLength can be a multiple of.</summary>
        private const int MaxPoolings = 30;

        /// <summary>CMP0050: pooling mixes position t with t + 1 and changes the length a decoding step
        /// advances by, so a causal stack (a language model or a decoder) cannot pool (MIXERS.md §12 C1).</summary>
        public static void FunnelInCausalStack(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                if (DeclaresFunnel(check, s) && check.Spec.Stacks[s].IsCausal)
                {
                    string what = check.Spec.Kind == ModelKind.LanguageModel ? "the language model" : "the decoder";
                    check.Report(FunnelInCausalStackError, check.Sites.Stacks[s].Attribute.Of("Funnel"), what, check.StackName(s));
                }
            }
        }

        /// <summary>CMP0051: the blocks partition the stack's layers: at least two (one pools nothing), each
        /// of at least one layer, summing to Depth.</summary>
        public static void FunnelBlocks(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                StackSpec stack = check.Spec.Stacks[s];
                if (!DeclaresFunnel(check, s) || stack.IsCausal || !check.HasUsableDepth(s))
                {
                    continue;
                }

                AttributeSite site = check.Sites.Stacks[s].Attribute;
                EquatableArray<int> blocks = stack.Structure.Funnel;
                bool positive = true;
                for (int b = 0; b < blocks.Count; b++)
                {
                    if (blocks[b] <= 0)
                    {
                        positive = false;
                        check.Report(FunnelBlocksError, site.Element("Funnel", b), stack.Depth,
                            "block " + Text.Invariant(b) + " has " + Text.Invariant(blocks[b]) + " layers; give every block at least one");
                    }
                }

                if (!positive)
                {
                    continue;
                }

                if (blocks.Count < 2)
                {
                    string why = blocks.Count == 0 ? "it lists no block" : "one block pools nothing";
                    string example = stack.Depth >= 2
                        ? "; for example Funnel = new[] { " + Text.Invariant(stack.Depth / 2) + ", " + Text.Invariant(stack.Depth - stack.Depth / 2) + " }"
                        : "; a stack of one layer has nothing to pool between: remove Funnel";
                    check.Report(FunnelBlocksError, site.Of("Funnel"), stack.Depth, why + example);
                    continue;
                }

                long sum = 0;
                foreach (int size in blocks)
                {
                    sum += size;
                }

                if (sum != stack.Depth)
                {
                    check.Report(FunnelBlocksError, site.Of("Funnel"), stack.Depth,
                        "the blocks sum to " + Text.Invariant(sum) + "; change them to sum to " + Text.Invariant(stack.Depth) + ", or Depth to " + Text.Invariant(sum));
                }
            }
        }

        /// <summary>
        /// CMP0052: Funnel pools n = blocks − 1 times, so the longest sequence, MaxLength (less the first
        /// position when FunnelKeepFirst keeps it apart), must be a positive multiple of 2^n; otherwise its
        /// last positions would fall out of the pooled blocks (MIXERS.md §12 S4). MaxLength is therefore
        /// required: reported at Funnel when it is missing, at MaxLength when it does not halve.
        /// </summary>
        public static void FunnelLength(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                StackSpec stack = check.Spec.Stacks[s];
                if (!DeclaresFunnel(check, s) || stack.IsCausal || !check.HasUsableDepth(s) || !FunnelLayout.Fits(stack.Structure.Funnel, stack.Depth))
                {
                    continue;
                }

                AttributeSite site = check.Sites.Stacks[s].Attribute;
                int poolings = stack.Structure.Funnel.Count - 1;
                bool keepFirst = stack.Structure.FunnelKeepFirst;
                string times = Text.Count(poolings, "time");
                if (poolings > MaxPoolings)
                {
                    check.Report(FunnelLengthError, site.Of("Funnel"),
                        "it pools " + times + ", more than any MaxLength up to int.MaxValue can be halved; declare fewer blocks");
                    continue;
                }

                long stride = 1L << poolings;
                string first = keepFirst ? ", plus 1 for the first position FunnelKeepFirst keeps apart" : string.Empty;
                int maxLength = check.Options.MaxLength;
                if (!check.Sites.Attribute.HasValue("MaxLength") || maxLength == 0)
                {
                    long example = ((128 + stride - 1) / stride) * stride + (keepFirst ? 1 : 0);
                    check.Report(FunnelLengthError, site.Of("Funnel"),
                        "it pools " + times + ", so the model needs MaxLength, a multiple of " + Text.Invariant(stride) + first + ", for example MaxLength = " + Text.Invariant(example));
                    continue;
                }

                long pooled = maxLength - (keepFirst ? 1 : 0);
                if (maxLength < 0 || (pooled > 0 && pooled % stride == 0))
                {
                    continue;     // a negative MaxLength is CMP0009's
                }

                long lower = pooled / stride * stride, upper = lower + stride, add = keepFirst ? 1 : 0;
                string choices = lower > 0
                    ? "MaxLength = " + Text.Invariant(lower + add) + " or " + Text.Invariant(upper + add)
                    : "MaxLength = " + Text.Invariant(upper + add);
                string what = keepFirst
                    ? "MaxLength " + Text.Invariant(maxLength) + " minus the first position FunnelKeepFirst keeps apart leaves " + Text.Count(pooled, "position") + ", not a positive multiple of " + Text.Invariant(stride)
                    : "MaxLength " + Text.Invariant(maxLength) + " is not a positive multiple of " + Text.Invariant(stride);
                check.Report(FunnelLengthError, check.Sites.Attribute.Of("MaxLength"),
                    what + ", so pooling " + times + " would drop the last positions of the longest sequences: use " + choices);
            }
        }

        /// <summary>CMP0053: FunnelPooling and FunnelKeepFirst say how to pool; without Funnel nothing is pooled.</summary>
        public static void FunnelOptionUnused(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                AttributeSite site = check.Sites.Stacks[s].Attribute;
                if (DeclaresFunnel(check, s) || site.IsUnknown("Funnel"))
                {
                    continue;
                }

                foreach (string option in new[] { "FunnelPooling", "FunnelKeepFirst" })
                {
                    if (site.Has(option))
                    {
                        check.Report(FunnelOptionUnusedWarning, site.Of(option), option);
                    }
                }
            }
        }

        /// <summary>CMP0054: only an additive update, x + f(y), can be undone; post-norm's norm(x + f(x)) cannot.</summary>
        public static void ReversibleNeedsPreNorm(ModelCheck check)
        {
            if (check.Options.Norm != NormPlacement.Post || check.Sites.Attribute.IsUnknown("Norm"))
            {
                return;
            }

            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                if (check.Spec.Stacks[s].Structure.Reversible)
                {
                    check.Report(ReversibleNeedsPreNormError, check.Sites.Stacks[s].Attribute.Of("Reversible"), check.StackName(s));
                }
            }
        }

        /// <summary>CMP0055: pooling cannot be undone, so a reversible stack cannot pool. (A causal stack
        /// with Funnel is CMP0050, whose fix, removing Funnel, settles this too.)</summary>
        public static void ReversibleFunnel(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                if (check.Spec.Stacks[s].Structure.Reversible && DeclaresFunnel(check, s) && !check.Spec.Stacks[s].IsCausal)
                {
                    check.Report(ReversibleFunnelError, check.Sites.Stacks[s].Attribute.Of("Reversible"), check.StackName(s));
                }
            }
        }

        /// <summary>Whether the stack's attribute gives Funnel a value (an empty array included; null is not pooling).</summary>
        private static bool DeclaresFunnel(ModelCheck check, int stack) => check.Sites.Stacks[stack].Attribute.HasValue("Funnel");
    }
}
