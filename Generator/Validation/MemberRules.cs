using System.Collections.Generic;
using Composer.Generator.Diagnostics;
using Composer.Generator.Emit;
using Composer.Generator.Specs;
using static Composer.Generator.Diagnostics.DiagnosticDescriptors;

namespace Composer.Generator.Validation
{
    /// <summary>Rules about the members the user declares next to the generated ones (CMP0043).</summary>
    internal static class MemberRules
    {
        /// <summary>
        /// CMP0043: a member the user declared in the model class or a nested stack class has the name of a
        /// member Composer generates there (<c>Forward</c>, <c>MaxLength</c>, <c>Layer0</c>, …), or the class
        /// itself does, which C# forbids; the clash would be an error inside generated code. Methods and
        /// constructors clash only with the same signature (otherwise they overload). Checked on a
        /// declaration that is otherwise valid, against the members the emitter really writes for it.
        /// </summary>
        public static void GeneratedMemberClash(ModelCheck check)
        {
            if (check.HasUnknown || check.Diagnostics.Exists(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
            {
                return;
            }

            // Parsing the generated source costs more than the rest of validating a model, so it runs only
            // when a clash is possible: a user method or constructor (signatures decide), or a name of the
            // user's that the generated text may declare.
            string source = ModelEmitter.Emit(check.Spec);
            var names = new List<string> { check.Spec.Class.Name };
            bool methods = false;
            foreach (MemberSite member in AllMembers(check))
            {
                names.Add(member.Name);
                methods |= member.Signature is not null;
            }

            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                if (check.Spec.Stacks[s].Class is { } stackClass)
                {
                    names.Add(stackClass.Name);
                }
            }

            if (!methods && !GeneratedMembers.MayDeclare(source, names))
            {
                return;
            }

            Dictionary<string, List<GeneratedMember>>? generated = null;
            Compare(check.Spec.Class.Name, check.Sites.Identifier, check.Sites.Members);
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                if (check.Spec.Stacks[s].Class is { } stack)
                {
                    Compare(stack.Name, check.Sites.Stacks[s].Identifier, check.Sites.Stacks[s].Members);
                }
            }

            void Compare(string className, LocationInfo classIdentifier, EquatableArray<MemberSite> members)
            {
                generated ??= GeneratedMembers.Of(check.Spec, source);
                if (!generated.TryGetValue(className, out List<GeneratedMember>? ours))
                {
                    return;
                }

                foreach (GeneratedMember member in ours)
                {
                    // C# does not let a member have its class's name (a constructor is not a member by name).
                    if (member.Name == className && member.Kind != "constructor")
                    {
                        check.Report(GeneratedMemberClashError, classIdentifier, "Class", className, member.Description, className, "rename the class");
                    }

                    foreach (MemberSite user in members)
                    {
                        if (user.Name == member.Name && Clash(user, member))
                        {
                            check.Report(GeneratedMemberClashError, user.Location, Capitalised(user.Kind), user.Name, member.Description, className, user.Kind switch
                            {
                                "constructor" => "give it other parameters, or remove it",
                                "method" => "rename it, or give it other parameters",
                                _ => "rename it",
                            });
                        }
                    }
                }
            }
        }

        private static IEnumerable<MemberSite> AllMembers(ModelCheck check)
        {
            foreach (MemberSite member in check.Sites.Members)
            {
                yield return member;
            }

            foreach (StackSites stack in check.Sites.Stacks)
            {
                foreach (MemberSite member in stack.Members)
                {
                    yield return member;
                }
            }
        }

        /// <summary>Two members of one class with one name clash unless both are methods (or both
        /// constructors) with different signatures, which overload.</summary>
        private static bool Clash(MemberSite user, GeneratedMember generated)
        {
            bool userMethod = user.Kind is "method" or "constructor";
            bool generatedMethod = generated.Kind is "method" or "constructor";
            return !(userMethod && generatedMethod) || (user.Kind == generated.Kind && user.Signature == generated.Signature);
        }

        private static string Capitalised(string kind) => char.ToUpperInvariant(kind[0]) + kind.Substring(1);
    }
}
