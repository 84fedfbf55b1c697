using Composer.Generator.Specs;
using static Composer.Generator.Diagnostics.DiagnosticDescriptors;

namespace Composer.Generator.Validation
{
    /// <summary>Rules of the attention review's and Reformer's mixers (CMP0044–CMP0046).</summary>
    internal static class AttentionRules
    {
        /// <summary>Above this many bytes of scores per sequence and layer, multi-dimensional attention's
        /// memory is stated (MIXERS.md §12 N4).</summary>
        public const long MultiDimensionalBudget = 64L << 20;

        /// <summary>The length the figure uses when no MaxLength is declared.</summary>
        public const int UndeclaredLength = 1024;

        /// <summary>CMP0044: h(x) = argmax([xR; −xR]) fills the buckets in pairs (MIXERS.md §12 S5). A
        /// non-positive count is CMP0009's.</summary>
        public static void OddBuckets(ModelCheck check)
        {
            OptionRules.ForEachMixer(check, (mixer, site) =>
            {
                if (mixer.Kind == MixerKind.LshAttention && mixer.Buckets > 0 && mixer.Buckets % 2 != 0)
                {
                    check.Report(OddBucketsError, site.Of("Buckets"), mixer.Buckets);
                }
            });
        }

        /// <summary>CMP0045: hard attention needs score-function gradients, which the training loop does not
        /// compute (MIXERS.md §1, §12 N5).</summary>
        public static void HardAttention(ModelCheck check)
        {
            OptionRules.ForEachMixer(check, (mixer, site) =>
            {
                if (mixer.Kind == MixerKind.ScoredAttention && mixer.Distribution == AttentionDistribution.Hard)
                {
                    check.Report(HardAttentionError, site.Of("Distribution"), mixer.Name);
                }
            });
        }

        /// <summary>
        /// CMP0046: multi-dimensional attention keeps a (T × T × Width) score tensor per sequence and layer
        /// (MIXERS.md §1, §12 N4). Stated for the declared MaxLength when that exceeds
        /// <see cref="MultiDimensionalBudget"/>, and at T = <see cref="UndeclaredLength"/> when no MaxLength
        /// bounds it.
        /// </summary>
        public static void MultiDimensionalMemory(ModelCheck check)
        {
            long width = check.Options.Width;
            int maxLength = check.Options.MaxLength;
            if (width <= 0 || maxLength < 0)
            {
                return;
            }

            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                for (int m = 0; m < check.Spec.Stacks[s].Mixers.Count; m++)
                {
                    if (check.Spec.Stacks[s].Mixers[m].Kind != MixerKind.MultiDimensionalAttention)
                    {
                        continue;
                    }

                    var site = check.Sites.Stacks[s].Mixers[m];
                    if (maxLength == 0)
                    {
                        double bytes = 4.0 * UndeclaredLength * UndeclaredLength * width;
                        check.Report(MultiDimensionalMemoryInfo, site.Name, check.StackName(s),
                            "4 B × T × T × " + Text.Invariant(width) + " (float32), which is " + Bytes(bytes) + " at T = " + Text.Invariant(UndeclaredLength) + ",",
                            "declare MaxLength to bound it");
                    }
                    else
                    {
                        double bytes = 4.0 * maxLength * maxLength * width;
                        if (bytes > MultiDimensionalBudget)
                        {
                            check.Report(MultiDimensionalMemoryInfo, site.Name, check.StackName(s),
                                "4 B × " + Text.Invariant(maxLength) + " × " + Text.Invariant(maxLength) + " × " + Text.Invariant(width) + " (float32, MaxLength × MaxLength × Width) = " + Bytes(bytes),
                                "lower MaxLength or Width to stay below " + Bytes(MultiDimensionalBudget) + ", or use [ScoredAttention], which scores each query and key once per head");
                        }
                    }
                }
            }
        }

        /// <summary>A size in KiB, MiB or GiB, at most one decimal, invariant.</summary>
        internal static string Bytes(double bytes)
        {
            string[] units = { "KiB", "MiB", "GiB" };
            double value = bytes / 1024;
            int unit = 0;
            while (unit < units.Length - 1 && value >= 1024)
            {
                value /= 1024;
                unit++;
            }

            return value.ToString("#,0.#", System.Globalization.CultureInfo.InvariantCulture) + " " + units[unit];
        }
    }
}
