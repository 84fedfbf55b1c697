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
                if (MixerTraits.IsConvolution(mixer.Kind) && (!site.Has("Kernels") || site.IsNull("Kernels")))
                {
                    check.Report(MissingOptionError, site.Of("Kernels"), mixer.Name, "Kernels");
                }
                else if (mixer.Kind == MixerKind.LocalAttention && !site.Has("Window"))
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
                Check("Heads", mixer.Heads, MixerTraits.HasHeads(mixer.Kind));
                Check("Window", mixer.Window, mixer.Kind == MixerKind.LocalAttention);
                Check("ProjectedLength", mixer.ProjectedLength, mixer.Kind == MixerKind.Linformer);

                void Check(string name, int value, bool applies)
                {
                    if (applies && value <= 0 && site.HasValue(name))
                    {
                        check.Report(NonPositiveSizeError, site.Of(name), name, value);
                    }
                }
            });
        }

        /// <summary>CMP0036: sizes past what Composer supports (so far: depth, see <see cref="ModelCheck.MaxDepth"/>).</summary>
        public static void SizeTooLarge(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                int depth = check.Spec.Stacks[s].Depth;
                if (depth > ModelCheck.MaxDepth)
                {
                    check.Report(SizeTooLargeError, check.Sites.Stacks[s].Attribute.Of("Depth"), "Depth", depth, ModelCheck.MaxDepth);
                }
            }
        }

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
            ForEachMixer(check, (mixer, site) =>
            {
                Check(site, "FeatureMap", mixer.FeatureMap);
                Check(site, "Kind", mixer.Synthesizer);
                Check(site, "Cell", mixer.Cell);
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
                if (MixerTraits.HasHeads(mixer.Kind) && !site.IsUnknown("Heads") && mixer.Heads > 0 && width % mixer.Heads != 0)
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
