using System;
using System.Collections.Generic;
using Composer.Generator.Specs;
using static Composer.Generator.Diagnostics.DiagnosticDescriptors;

namespace Composer.Generator.Validation
{
    /// <summary>Rules about option values taken one at a time (CMP0008–CMP0014).</summary>
    internal static class OptionRules
    {
        /// <summary>CMP0008: sizes with no sensible default must be written.</summary>
        public static void MissingOption(ModelCheck check)
        {
            foreach (var (name, _) in ModelSizes(check, requiredOnly: true))
            {
                if (!check.Sites.Attribute.Has(name))
                {
                    check.Report(MissingOptionError, check.Sites.Attribute.Name, check.ModelAttribute, name);
                }
            }

            ForEachNestedStack(check, (stack, sites) =>
            {
                if (!sites.Attribute.Has("Depth"))
                {
                    check.Report(MissingOptionError, sites.Attribute.Name, stack.Role.ToString(), "Depth");
                }
            });

            ForEachMixer(check, (mixer, site) =>
            {
                // Kernels = null gives no kernels at all: the option is as missing as when it is not written.
                if (MixerTraits.Needs(mixer, MixerNeeds.Kernel) && (!site.Has("Kernels") || site.IsNull("Kernels")))
                {
                    check.Report(MissingOptionError, site.Of("Kernels"), mixer.Name, "Kernels");
                }

                if (MixerTraits.Needs(mixer, MixerNeeds.Window) && !site.Has("Window"))
                {
                    check.Report(MissingOptionError, site.Name, mixer.Name, "Window");
                }
            });
        }

        /// <summary>CMP0009: a written size must be positive (unwritten ones are CMP0008 or defaults).</summary>
        public static void NonPositiveSize(ModelCheck check)
        {
            foreach (var (name, value) in ModelSizes(check, requiredOnly: false))
            {
                if (value <= 0 && check.Sites.Attribute.HasValue(name))
                {
                    check.Report(NonPositiveSizeError, check.Sites.Attribute.Of(name), name, value);
                }
            }

            ForEachNestedStack(check, (stack, sites) =>
            {
                if (stack.Depth <= 0 && sites.Attribute.HasValue("Depth"))
                {
                    check.Report(NonPositiveSizeError, sites.Attribute.Of("Depth"), "Depth", stack.Depth);
                }
            });

            ForEachMixer(check, (mixer, site) =>
            {
                Check("Heads", mixer.Heads, MixerTraits.Needs(mixer, MixerNeeds.Heads));
                Check("Window", mixer.Window, MixerTraits.Needs(mixer, MixerNeeds.Window));
                Check("ProjectedLength", mixer.ProjectedLength, mixer.Kind == MixerKind.Linformer);
                Check("Buckets", mixer.Buckets, mixer.Kind == MixerKind.LshAttention);
                Check("Rounds", mixer.Rounds, mixer.Kind == MixerKind.LshAttention);
                Check("ChunkSize", mixer.ChunkSize, mixer.Kind == MixerKind.LshAttention);

                void Check(string name, int value, bool applies)
                {
                    if (applies && value <= 0 && site.HasValue(name))
                    {
                        check.Report(NonPositiveSizeError, site.Of(name), name, value);
                    }
                }
            });
        }

        /// <summary>
        /// CMP0036: sizes past what Composer supports, written or derived. A stack has at most
        /// <see cref="ModelCheck.MaxDepth"/> layers. The widths the generated code and the runtime compute
        /// from the declaration as 32-bit ints must fit one: the feed-forward's 4 × Width when FeedForward is
        /// not written, each mixer's widest projection (3 × Width for query, key and value, …), a dynamic
        /// convolution's Heads × Kernel, Synthesizer's Heads × Width. Each is reported once, on the argument
        /// it comes from, saying how it was derived. (The parameter count is
        /// <see cref="ParameterCountTooLarge"/>.)
        /// </summary>
        public static void SizeTooLarge(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                int depth = check.Spec.Stacks[s].Depth;
                if (depth > ModelCheck.MaxDepth)
                {
                    check.Report(SizeTooLargeError, check.Sites.Stacks[s].Attribute.Of("Depth"), "Depth is " + Text.Invariant(depth), ModelCheck.MaxDepth, "lower Depth");
                }
            }

            long width = check.Options.Width;
            if (width <= 0)
            {
                return;
            }

            // Everything derived from Width alone is reported once, at Width, by its widest instance.
            (string What, long Value, string Fix)? widest = null;
            void Consider(string what, long value, string fix)
            {
                if (widest is null || value > widest.Value.Value)
                {
                    widest = (what, value, fix);
                }
            }

            if (!check.Sites.Attribute.Has("FeedForward"))
            {
                Consider("The feed-forward width, 4 × Width when FeedForward is not written,", Emit.Count.Mul(4, width), "lower Width, or write a smaller FeedForward");
            }

            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                foreach (MixerSpec mixer in check.Spec.Stacks[s].Mixers)
                {
                    bool cross = mixer.Cross && check.HasMemory(s);
                    if (Emit.MixerCatalog.WidestProjection(mixer, cross, width) is { } projection)
                    {
                        Consider("The " + projection.What + ", of [" + mixer.Name + "]" + (cross ? " as a cross mixer" : string.Empty), projection.Width, "lower Width");
                    }
                }

                // A decoder without a cross mixer gets softmax cross-attention.
                if (check.HasMemory(s) && !HasCross(check.Spec.Stacks[s]))
                {
                    Consider("The key and value projection, 2 × Width, of the decoder's default cross-attention", Emit.Count.Mul(2, width), "lower Width");
                }
            }

            if (widest is { } w && w.Value > int.MaxValue)
            {
                check.Report(SizeTooLargeError, check.Sites.Attribute.Of("Width"), w.What + " is " + Text.Invariant(w.Value), int.MaxValue, w.Fix);
            }

            ForEachMixer(check, (mixer, site) =>
            {
                if (site.IsUnknown("Heads") || mixer.Heads <= 0)
                {
                    return;
                }

                if (mixer.Kind == MixerKind.DynamicConvolution)
                {
                    for (int i = 0; i < mixer.Kernels.Count; i++)
                    {
                        long product = (long)mixer.Heads * mixer.Kernels[i];
                        if (product > int.MaxValue)
                        {
                            check.Report(SizeTooLargeError, site.Element("Kernels", i),
                                "The kernel projection of [DynamicConvolution], Heads × Kernel = " + Text.Invariant(mixer.Heads) + " × " + Text.Invariant(mixer.Kernels[i]) + ", is " + Text.Invariant(product),
                                int.MaxValue, "lower Heads or the kernel");
                        }
                    }
                }
                else if (mixer.Kind == MixerKind.LshAttention && mixer.Buckets > 0 && mixer.Rounds > 0
                    && (double)mixer.Rounds * width * (mixer.Buckets / 2) > int.MaxValue)
                {
                    check.Report(SizeTooLargeError, site.Of("Buckets"),
                        "The rotations of [LshAttention], Rounds × Width × Buckets / 2 = " + Text.Invariant(mixer.Rounds) + " × " + Text.Invariant(width) + " × " + Text.Invariant(mixer.Buckets / 2) + ", are " + Text.Invariant((decimal)mixer.Rounds * width * (mixer.Buckets / 2)) + " values",
                        int.MaxValue, "lower Buckets or Rounds");
                }
                else if (mixer.Kind == MixerKind.SynthesizerAttention && mixer.Synthesizer == SynthesizerKind.Dense && width * mixer.Heads > int.MaxValue)
                {
                    check.Report(SizeTooLargeError, site.Of("Heads"),
                        "The hidden width of [SynthesizerAttention]'s dense logits, Heads × Width = " + Text.Invariant(mixer.Heads) + " × " + Text.Invariant(width) + ", is " + Text.Invariant(width * mixer.Heads),
                        int.MaxValue, "lower Heads or Width");
                }
            });
        }

        /// <summary>
        /// CMP0036 for the parameter count, which the generated code states as a 64-bit constant
        /// (<c>ParameterTotal</c>, and one count per layer): it must not overflow. Checked on a declaration
        /// that is otherwise valid (the count is the emitter's own), and reported where the overflow comes
        /// from: the MaxLength that shapes a mixer's parameters (with the widths above in range, nothing
        /// else can overflow one layer), the stack's Depth, or the model attribute for the sum of stacks.
        /// </summary>
        public static void ParameterCountTooLarge(ModelCheck check)
        {
            if (check.HasUnknown || check.Diagnostics.Exists(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
            {
                return;
            }

            Emit.ModelPlan plan = Emit.ModelPlan.Create(check.Spec);
            if (plan.ParameterCount < long.MaxValue)
            {
                return;
            }

            string model = "'" + check.Spec.Class.Name + "' has more parameters than a 64-bit count holds";
            for (int s = 0; s < plan.Stacks.Count; s++)
            {
                Emit.StackPlan stack = plan.Stacks[s];
                string layers = stack.Prefix + "layers.";
                foreach (Emit.LayerPlan layer in stack.Layers)
                {
                    foreach (Emit.MixerUse? use in new[] { layer.Mixer, layer.Cross })
                    {
                        if (use is { Parameters: long.MaxValue } && MaxLengthShaped(use.Spec) is { } shape)
                        {
                            check.Report(SizeTooLargeError, check.Sites.Attribute.Of("MaxLength"),
                                model + ": " + layers + Text.Invariant(layer.Index) + "'s [" + use.Spec.Name + "] alone has " + shape, long.MaxValue, "lower MaxLength");
                            return;
                        }
                    }
                }

                if (stack.ParameterCount == long.MaxValue)
                {
                    check.Report(SizeTooLargeError, check.Sites.Stacks[s].Attribute.Of("Depth"),
                        model + ": " + (check.Spec.Kind == ModelKind.Seq2Seq ? "the " + stack.SummaryName + "'s" : "its") + " embeddings and " + Text.Count(stack.Layers.Count, "layer") + " have that many together", long.MaxValue, "lower Depth, Width or FeedForward");
                    return;
                }
            }

            string parts = check.Spec.Kind == ModelKind.Seq2Seq ? "its encoder and decoder" : "its layers and classifier head";
            check.Report(SizeTooLargeError, check.Sites.Attribute.Name, model + ": " + parts + " have that many together", long.MaxValue, "lower Width, FeedForward or a Depth");
        }

        /// <summary>Parameters a mixer has per MaxLength position, which alone can overflow a 64-bit count.</summary>
        private static string? MaxLengthShaped(MixerSpec mixer) => mixer.Kind switch
        {
            MixerKind.SynthesizerAttention when mixer.Synthesizer == SynthesizerKind.Random => "Heads × MaxLength × MaxLength random logits",
            MixerKind.SynthesizerAttention => "Heads × MaxLength × Width dense logit weights",
            MixerKind.Linformer => "2 × ProjectedLength × MaxLength projection weights",
            MixerKind.ScoredAttention when MixerTraits.IsLocationScore(mixer) => "MaxLength × Width location weights",
            _ => null,
        };

        /// <summary>CMP0010: a classifier picks between at least two classes.</summary>
        public static void TooFewClasses(ModelCheck check)
        {
            if (check.Spec.Kind == ModelKind.Classifier && check.Sites.Attribute.HasValue("Classes") && check.Options.Classes < 2)
            {
                check.Report(TooFewClassesError, check.Sites.Attribute.Of("Classes"), check.Options.Classes);
            }
        }

        /// <summary>CMP0011: a dropout probability lies in [0, 1); 1 would zero everything.</summary>
        public static void DropoutOutOfRange(ModelCheck check)
        {
            Check("Dropout", check.Options.Dropout);
            Check("AttentionDropout", check.Options.AttentionDropout);
            Check("ActivationDropout", check.Options.ActivationDropout);
            Check("WeightDropout", check.Options.WeightDropout);

            void Check(string name, double value)
            {
                // Written as a negated range test so that NaN is out of range too.
                if (!(value >= 0 && value < 1))
                {
                    check.Report(DropoutOutOfRangeError, check.Sites.Attribute.Of(name), name, value);
                }
            }
        }

        /// <summary>CMP0012: an enum option cast from a number that names no member.</summary>
        public static void UndefinedEnumValue(ModelCheck check)
        {
            Check(check.Sites.Attribute, "Activation", check.Options.Activation);
            Check(check.Sites.Attribute, "Norm", check.Options.Norm);
            Check(check.Sites.Attribute, "Positions", check.Options.Positions);
            Check(check.Sites.Attribute, "Pooling", check.Options.Pooling);
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                Check(check.Sites.Stacks[s].Attribute, "FunnelPooling", check.Spec.Stacks[s].Structure.FunnelPooling);
            }

            ForEachMixer(check, (mixer, site) =>
            {
                Check(site, "FeatureMap", mixer.FeatureMap);
                Check(site, "Kind", mixer.Synthesizer);
                Check(site, "Cell", mixer.Cell);
                Check(site, "Score", mixer.Score);
                Check(site, "Distribution", mixer.Distribution);
            });

            void Check<TEnum>(AttributeSite site, string name, TEnum value)
                where TEnum : struct, Enum
            {
                if (!Enum.IsDefined(typeof(TEnum), value))
                {
                    check.Report(UndefinedEnumValueError, site.Of(name), name, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture), typeof(TEnum).Name);
                }
            }
        }

        /// <summary>CMP0013: heads split the width evenly (MIXERS.md §12 S1).</summary>
        public static void WidthNotDivisibleByHeads(ModelCheck check)
        {
            int width = check.Options.Width;
            if (width <= 0)
            {
                return;
            }

            ForEachMixer(check, (mixer, site) =>
            {
                if (MixerTraits.Needs(mixer, MixerNeeds.Heads) && !site.IsUnknown("Heads") && mixer.Heads > 0 && width % mixer.Heads != 0)
                {
                    check.Report(WidthNotDivisibleByHeadsError, site.Of("Heads"), width, mixer.Heads, mixer.Name);
                }
            });

            // A decoder without a cross mixer gets softmax attention with the default heads.
            ForEachNestedStack(check, (stack, sites) =>
            {
                if (stack.Role == StackRole.Decoder && !HasCross(stack) && width % Defaults.Heads != 0)
                {
                    check.Report(WidthNotDivisibleByHeadsError, sites.Attribute.Name, width, Defaults.Heads, "SelfAttention(Cross = true)");
                }
            });
        }

        /// <summary>CMP0014: a bidirectional recurrence gives each direction half the width.</summary>
        public static void OddWidthForBidirectional(ModelCheck check)
        {
            int width = check.Options.Width;
            ForEachMixer(check, (mixer, site) =>
            {
                if (mixer.Kind == MixerKind.Recurrent && mixer.Bidirectional && width > 0 && width % 2 != 0)
                {
                    check.Report(OddWidthForBidirectionalError, site.Of("Bidirectional"), width);
                }
            });
        }

        /// <summary>CMP0039: sinusoidal positions pair a sine and a cosine per frequency, so they fill an
        /// even number of channels.</summary>
        public static void OddWidthForSinusoidal(ModelCheck check)
        {
            int width = check.Options.Width;
            if (check.Options.Positions == PositionalEncoding.Sinusoidal && !check.Sites.Attribute.IsUnknown("Positions") && width > 0 && width % 2 != 0)
            {
                check.Report(OddWidthForSinusoidalError, check.Sites.Attribute.Of("Width"), width);
            }
        }

        internal static bool HasCross(StackSpec stack)
        {
            foreach (MixerSpec mixer in stack.Mixers)
            {
                if (mixer.Cross)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The model attribute's sizes for this kind; the required ones have no default.</summary>
        private static IEnumerable<(string Name, int Value)> ModelSizes(ModelCheck check, bool requiredOnly)
        {
            ModelOptions o = check.Options;
            yield return ("Width", o.Width);
            switch (check.Spec.Kind)
            {
                case ModelKind.LanguageModel:
                    yield return ("Vocabulary", o.Vocabulary);
                    yield return ("Depth", check.Spec.Stacks[0].Depth);
                    break;
                case ModelKind.Classifier:
                    yield return ("Vocabulary", o.Vocabulary);
                    yield return ("Depth", check.Spec.Stacks[0].Depth);
                    yield return ("Classes", o.Classes);
                    break;
                case ModelKind.Seq2Seq:
                    yield return ("SourceVocabulary", o.SourceVocabulary);
                    yield return ("TargetVocabulary", o.TargetVocabulary);
                    break;
            }

            if (!requiredOnly)
            {
                yield return ("FeedForward", o.FeedForward);
                yield return ("MaxLength", o.MaxLength);
            }
        }

        internal static void ForEachNestedStack(ModelCheck check, Action<StackSpec, StackSites> action)
        {
            for (int i = 0; i < check.Spec.Stacks.Count; i++)
            {
                if (check.Spec.Stacks[i].Class is not null)
                {
                    action(check.Spec.Stacks[i], check.Sites.Stacks[i]);
                }
            }
        }

        internal static void ForEachMixer(ModelCheck check, Action<MixerSpec, AttributeSite> action)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                for (int m = 0; m < check.Spec.Stacks[s].Mixers.Count; m++)
                {
                    action(check.Spec.Stacks[s].Mixers[m], check.Sites.Stacks[s].Mixers[m]);
                }
            }
        }
    }
}
