using Composer.Generator.Specs;
using static Composer.Generator.Diagnostics.DiagnosticDescriptors;

namespace Composer.Generator.Validation
{
    /// <summary>Rules about where a mixer may run and what it needs (CMP0023–CMP0024, CMP0026–CMP0027,
    /// CMP0029–CMP0031).</summary>
    internal static class MixerRules
    {
        /// <summary>CMP0023: a decoder's self mixers must not see the future (MIXERS.md §12 C1).</summary>
        public static void NotCausal(ModelCheck check)
        {
            ForEach(check, (s, mixer, site) =>
            {
                // A user mixer's facts are judged only against the real Runtime's attribute.
                bool judged = mixer.Kind != MixerKind.User || (check.Facts.HasRuntime && mixer.User!.IsResolved);
                if (judged && check.Spec.Stacks[s].IsCausal && !mixer.Cross && MixerTraits.NotCausalReason(mixer) is { } reason)
                {
                    var location = mixer.Kind switch
                    {
                        MixerKind.Recurrent => site.Of("Bidirectional"),
                        MixerKind.User => site.Of("TMixer"),
                        _ => site.Name,
                    };
                    check.Report(NotCausalError, location, mixer.Name, check.StackName(s), reason);
                }
            });
        }

        /// <summary>CMP0024: a cross mixer must not assume target and source positions line up (C6).</summary>
        public static void NotAlignmentFree(ModelCheck check)
        {
            ForEach(check, (s, mixer, site) =>
            {
                bool judged = mixer.Kind != MixerKind.User || (check.Facts.HasRuntime && mixer.User!.IsResolved);
                if (judged && mixer.Cross && check.HasMemory(s) && MixerTraits.NotAlignmentFreeReason(mixer) is { } reason)
                {
                    check.Report(NotAlignmentFreeError, mixer.Kind == MixerKind.User ? site.Of("TMixer") : site.Of("Cross"), mixer.Name, reason);
                }
            });
        }

        /// <summary>CMP0026: parameters shaped by the sequence length need a fixed length (L1).</summary>
        public static void MaxLengthRequired(ModelCheck check)
        {
            if (check.Sites.Attribute.Has("MaxLength"))
            {
                return;
            }

            if (check.Options.Positions == PositionalEncoding.Learned)
            {
                check.Report(MaxLengthRequiredError, check.Sites.Attribute.Of("Positions"), "PositionalEncoding.Learned", check.ModelAttribute);
            }

            ForEach(check, (s, mixer, site) =>
            {
                if (MixerTraits.Needs(mixer, MixerNeeds.MaxLength))
                {
                    check.Report(MaxLengthRequiredError, mixer.Kind == MixerKind.User ? site.Of("TMixer") : site.Name, "[" + mixer.Name + "]", check.ModelAttribute);
                }
            });
        }

        /// <summary>CMP0027: Linformer's projected length k is at most MaxLength (L1).</summary>
        public static void ProjectedLengthTooLong(ModelCheck check)
        {
            int maxLength = check.Options.MaxLength;
            ForEach(check, (s, mixer, site) =>
            {
                if (mixer.Kind == MixerKind.Linformer && maxLength > 0 && mixer.ProjectedLength > maxLength)
                {
                    check.Report(ProjectedLengthTooLongError, site.Of("ProjectedLength"), mixer.ProjectedLength, maxLength);
                }
            });
        }

        /// <summary>CMP0042: a user mixer is given Heads, Kernels or Window only when its [MixerFacts]
        /// states that it needs them; one set otherwise would not reach it.</summary>
        public static void UserMixerOptionUnused(ModelCheck check)
        {
            ForEach(check, (s, mixer, site) =>
            {
                if (mixer.User is not { IsResolved: true } user || !check.Facts.HasRuntime)
                {
                    return;
                }

                foreach (var (option, need) in new[] { ("Heads", MixerNeeds.Heads), ("Kernels", MixerNeeds.Kernel), ("Window", MixerNeeds.Window) })
                {
                    if (site.Has(option) && !MixerTraits.Needs(mixer, need))
                    {
                        check.Report(UserMixerOptionUnusedWarning, site.Of(option), mixer.Name, option, user.DisplayName, "MixerNeeds." + need);
                    }
                }
            });
        }

        /// <summary>CMP0031: the generated model constructs the mixer, so it must be a concrete class.</summary>
        public static void UserMixerNotConcrete(ModelCheck check)
        {
            ForEach(check, (s, mixer, site) =>
            {
                if (mixer.User is { IsResolved: true, IsConcreteClass: false } user)
                {
                    check.Report(UserMixerNotConcreteError, site.Of("TMixer"), user.DisplayName);
                }
            });
        }

        /// <summary>CMP0029: the mixer is a Module implementing the runtime contract of its sublayer, IMixer
        /// or, as a cross mixer, ICrossMixer (judged only with Composer.Runtime referenced).</summary>
        public static void UserMixerContract(ModelCheck check)
        {
            if (!check.Facts.HasRuntime)
            {
                return;
            }

            ForEach(check, (s, mixer, site) =>
            {
                if (mixer.User is not { IsResolved: true, IsConcreteClass: true } user)
                {
                    return;
                }

                bool cross = mixer.Cross && check.HasMemory(s);
                if (!user.IsModule || !(cross ? user.ImplementsCross : user.ImplementsMixer))
                {
                    check.Report(UserMixerContractError, site.Of("TMixer"), user.DisplayName, cross ? "Composer.Mixers.ICrossMixer" : "Composer.Mixers.IMixer");
                }
            });
        }

        /// <summary>CMP0037: a decoder runs its mixers one position at a time when generating, which for a
        /// user mixer means IIncrementalMixer&lt;TState&gt; (the generated decoding state holds its TState).</summary>
        public static void UserMixerNotIncremental(ModelCheck check)
        {
            if (!check.Facts.HasRuntime)
            {
                return;
            }

            ForEach(check, (s, mixer, site) =>
            {
                if (check.Spec.Stacks[s].IsCausal && !mixer.Cross
                    && mixer.User is { IsResolved: true, IsConcreteClass: true, IsModule: true, ImplementsMixer: true, CausalCapable: true, StateType: null } user)
                {
                    check.Report(UserMixerNotIncrementalError, site.Of("TMixer"), user.DisplayName, check.StackName(s));
                }
            });
        }

        /// <summary>CMP0040: the generated code constructs a runtime class the referenced Composer.Runtime
        /// does not have (an older Runtime, or a cross variant it does not offer).</summary>
        public static void RuntimeMixerMissing(ModelCheck check)
        {
            if (!check.Facts.HasRuntime)
            {
                return;
            }

            ForEach(check, (s, mixer, site) =>
            {
                bool cross = mixer.Cross && check.HasMemory(s);
                string name = Emit.MixerCatalog.MetadataName(mixer, cross);
                if (mixer.Kind != MixerKind.User && check.Facts.Lacks(name))
                {
                    check.Report(RuntimeMixerMissingError, cross ? site.Of("Cross") : site.Name, mixer.Name, name);
                }
            });
        }

        /// <summary>CMP0038: the generated code is written against Composer.Runtime; without it the
        /// declaration is only checked.</summary>
        public static void RuntimeMissing(ModelCheck check)
        {
            if (!check.Facts.HasRuntime)
            {
                check.Report(RuntimeMissingWarning, check.Sites.Identifier, check.Spec.Class.Name);
            }
        }

        /// <summary>CMP0030: the generated model calls <c>new TMixer(context)</c>. Without Composer.Runtime
        /// only the shape is checked: one parameter of a type named MixerContext.</summary>
        public static void UserMixerConstructor(ModelCheck check)
        {
            ForEach(check, (s, mixer, site) =>
            {
                if (mixer.User is { IsResolved: true, IsConcreteClass: true } user
                    && !(check.Facts.HasRuntime ? user.HasContextConstructor : user.HasContextShapedConstructor))
                {
                    check.Report(UserMixerConstructorError, site.Of("TMixer"), user.DisplayName);
                }
            });
        }

        private static void ForEach(ModelCheck check, System.Action<int, MixerSpec, AttributeSite> action)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                for (int m = 0; m < check.Spec.Stacks[s].Mixers.Count; m++)
                {
                    action(s, check.Spec.Stacks[s].Mixers[m], check.Sites.Stacks[s].Mixers[m]);
                }
            }
        }
    }
}
