using System.Collections.Generic;
using Composer.Generator.Specs;
using static Composer.Generator.Diagnostics.DiagnosticDescriptors;

namespace Composer.Generator.Validation
{
    /// <summary>Rules about convolution kernels (CMP0019–CMP0022, CMP0028; MIXERS.md §2–3, §12 C3, L2, N3).</summary>
    internal static class KernelRules
    {
        /// <summary>CMP0019: one kernel per covered layer, or one for all (the convolutions, and user mixers
        /// whose [MixerFacts] state Needs = MixerNeeds.Kernel).</summary>
        public static void KernelCountMismatch(ModelCheck check)
        {
            ForEachKernelMixer(check, (s, m, mixer, site) =>
            {
                int count = mixer.Kernels.Count;
                if (site.HasValue("Kernels") && check.Layers(s, m) is { } layers && count != 1 && count != layers.Count)
                {
                    check.Report(KernelCountMismatchError, site.Of("Kernels"), Text.Count(count, "value"), mixer.Name, Text.Count(layers.Count, "layer"));
                }
            });
        }

        /// <summary>CMP0020: a kernel covers at least one tap.</summary>
        public static void NonPositiveKernel(ModelCheck check)
        {
            ForEachKernelMixer(check, (s, m, mixer, site) =>
            {
                for (int i = 0; i < mixer.Kernels.Count; i++)
                {
                    if (mixer.Kernels[i] <= 0)
                    {
                        check.Report(NonPositiveKernelError, site.Element("Kernels", i), mixer.Kernels[i]);
                    }
                }
            });
        }

        /// <summary>CMP0021: a centred convolution pads an even kernel unevenly (MIXERS.md §12 C3).
        /// Causal convolutions pad K − 1 on the left whatever K is.</summary>
        public static void EvenKernel(ModelCheck check)
        {
            ForEachConvolution(check, (s, m, mixer, site) =>
            {
                if (check.Spec.Stacks[s].IsCausal || mixer.Cross)
                {
                    return;
                }

                for (int i = 0; i < mixer.Kernels.Count; i++)
                {
                    int kernel = mixer.Kernels[i];
                    if (kernel > 0 && kernel % 2 == 0)
                    {
                        check.Report(EvenKernelWarning, site.Element("Kernels", i), kernel, check.StackName(s), (kernel - 1) / 2, kernel / 2);
                    }
                }
            });
        }

        /// <summary>CMP0022: kernels without softmax normalisation are outside the paper's recipe (N3).</summary>
        public static void WeightSoftmaxDisabled(ModelCheck check)
        {
            ForEachConvolution(check, (s, m, mixer, site) =>
            {
                if (!mixer.WeightSoftmax)
                {
                    check.Report(WeightSoftmaxDisabledWarning, site.Of("WeightSoftmax"), mixer.Name);
                }
            });
        }

        /// <summary>
        /// CMP0028: a stack that mixes only by convolution connects two tokens only if they are within
        /// its reach: Σ(K − 1) back for a causal stack (a field of 1 + Σ(K − 1) tokens), Σ⌊(K − 1)/2⌋ on
        /// each side for a centred one (MIXERS.md §2). Reported when the reach is below MaxLength − 1,
        /// the distance between the first and the last token of the longest sequence.
        /// </summary>
        public static void ReceptiveField(ModelCheck check)
        {
            int maxLength = check.Options.MaxLength;
            if (maxLength <= 0)
            {
                return;
            }

            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                StackSpec stack = check.Spec.Stacks[s];
                if (KernelsByLayer(check, s) is not { } kernels)
                {
                    continue;
                }

                if (stack.Structure.IsFunnel)
                {
                    FunnelField(check, s, kernels, maxLength);
                    continue;
                }

                long reach = 0;
                foreach (int kernel in kernels)
                {
                    reach += stack.IsCausal ? kernel - 1 : (kernel - 1) / 2;
                }

                if (reach < maxLength - 1)
                {
                    string field = stack.IsCausal
                        ? Text.Count(reach + 1, "token") + " (1 + Σ(K − 1))"
                        : "±" + Text.Count(reach, "token") + " (Σ(K − 1)/2 on each side)";
                    check.Report(ReceptiveFieldInfo, check.Sites.Stacks[s].Attribute.Name, check.StackName(s), field, maxLength, Text.Count(reach, "position"));
                }
            }
        }

        /// <summary>CMP0028 for a Funnel stack, as the generated ReceptiveField counts it: each pooling widens
        /// the window by the stride so far and doubles the stride, and each kernel reaches K − 1 pooled
        /// positions of its block's stride. Blocks that do not fit the stack are CMP0051's.</summary>
        private static void FunnelField(ModelCheck check, int s, int[] kernels, int maxLength)
        {
            if (Emit.FunnelLayout.BlockOfLayer(check.Spec.Stacks[s]) is not { } blocks)
            {
                return;
            }

            long field = 1, stride = 1;
            for (int i = 0; i < kernels.Length; i++)
            {
                if (i > 0 && blocks[i] != blocks[i - 1])
                {
                    field = Emit.Count.Add(field, stride);
                    stride = Emit.Count.Mul(stride, 2);
                }

                field = Emit.Count.Add(field, Emit.Count.Mul(kernels[i] - 1, stride));
            }

            if (field < maxLength)
            {
                check.Report(ReceptiveFieldInfo, check.Sites.Stacks[s].Attribute.Name, check.StackName(s),
                    "a window of " + Text.Count(field, "token") + " (1 + Σ(K − 1) × the stride of each layer's Funnel block, + the stride so far at each pooling)",
                    maxLength, Text.Count(field - 1, "position"));
            }
        }

        /// <summary>The kernel of every layer when each layer has exactly one self mixer and all of them
        /// are convolutions with valid kernels; null otherwise.</summary>
        private static int[]? KernelsByLayer(ModelCheck check, int s)
        {
            StackSpec stack = check.Spec.Stacks[s];
            if (!check.HasUsableDepth(s))
            {
                return null;
            }

            var kernels = new int[stack.Depth];
            for (int m = 0; m < stack.Mixers.Count; m++)
            {
                MixerSpec mixer = stack.Mixers[m];
                if (mixer.Cross)
                {
                    continue;
                }

                if (!MixerTraits.IsConvolution(mixer.Kind) || check.Layers(s, m) is not { } layers)
                {
                    return null;
                }

                int count = mixer.Kernels.Count;
                if (count != 1 && count != layers.Count)
                {
                    return null;
                }

                for (int i = 0; i < layers.Count; i++)
                {
                    int kernel = mixer.Kernels[count == 1 ? 0 : i];
                    if (kernel <= 0 || kernels[layers[i]] != 0)
                    {
                        return null;
                    }

                    kernels[layers[i]] = kernel;
                }
            }

            foreach (int kernel in kernels)
            {
                if (kernel == 0)
                {
                    return null;
                }
            }

            return kernels;
        }

        /// <summary>Every mixer that takes a kernel per layer: the convolutions and user mixers that need one.</summary>
        private static void ForEachKernelMixer(ModelCheck check, System.Action<int, int, MixerSpec, AttributeSite> action)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                for (int m = 0; m < check.Spec.Stacks[s].Mixers.Count; m++)
                {
                    MixerSpec mixer = check.Spec.Stacks[s].Mixers[m];
                    if (MixerTraits.Needs(mixer, MixerNeeds.Kernel))
                    {
                        action(s, m, mixer, check.Sites.Stacks[s].Mixers[m]);
                    }
                }
            }
        }

        private static void ForEachConvolution(ModelCheck check, System.Action<int, int, MixerSpec, AttributeSite> action)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                for (int m = 0; m < check.Spec.Stacks[s].Mixers.Count; m++)
                {
                    MixerSpec mixer = check.Spec.Stacks[s].Mixers[m];
                    if (MixerTraits.IsConvolution(mixer.Kind))
                    {
                        action(s, m, mixer, check.Sites.Stacks[s].Mixers[m]);
                    }
                }
            }
        }
    }
}
