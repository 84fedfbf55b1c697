using System.Linq;
using Composer.Generator.Specs;
using static Composer.Generator.Diagnostics.DiagnosticDescriptors;

namespace Composer.Generator.Validation
{
    /// <summary>Rules about the declared classes themselves (CMP0001–CMP0005).</summary>
    internal static class DeclarationRules
    {
        /// <summary>CMP0001: generated members need every class on the way to be partial.</summary>
        public static void ClassNotPartial(ModelCheck check)
        {
            for (int i = 0; i < check.Spec.ContainingTypes.Count; i++)
            {
                if (!check.Spec.ContainingTypes[i].IsPartial)
                {
                    check.Report(ClassNotPartialError, check.Sites.ContainingIdentifiers[i], check.Spec.ContainingTypes[i].Name);
                }
            }

            if (!check.Spec.Class.IsPartial)
            {
                check.Report(ClassNotPartialError, check.Sites.Identifier, check.Spec.Class.Name);
            }

            ForEachStackClass(check, (stack, index) =>
            {
                if (!stack.IsPartial)
                {
                    check.Report(ClassNotPartialError, check.Sites.Stacks[index].Identifier, check.StackName(index));
                }
            });
        }

        /// <summary>CMP0002: a model's shape must be fixed, so no type parameters anywhere around it.</summary>
        public static void GenericModel(ModelCheck check)
        {
            if (check.Spec.Class.IsGeneric)
            {
                check.Report(GenericModelError, check.Sites.Identifier, check.Spec.Class.Name, "it is generic; remove its type parameters");
            }
            else
            {
                // Reported on the generic type around the model, which is the one to change (or to move the model out of).
                for (int i = 0; i < check.Spec.ContainingTypes.Count; i++)
                {
                    if (check.Spec.ContainingTypes[i].IsGeneric)
                    {
                        check.Report(GenericModelError, check.Sites.ContainingIdentifiers[i], check.Spec.Class.Name, "it is nested in the generic type '" + check.Spec.ContainingTypes[i].Name + "'; move it out, or make that type non-generic");
                        break;
                    }
                }
            }

            ForEachStackClass(check, (stack, index) =>
            {
                if (stack.IsGeneric)
                {
                    check.Report(GenericModelError, check.Sites.Stacks[index].Identifier, check.StackName(index), "it is generic; remove its type parameters");
                }
            });
        }

        /// <summary>CMP0003: the generated members are instance members of a class that the generator
        /// derives from TorchSharp's torch.nn.Module and instantiates.</summary>
        public static void ModelClassShape(ModelCheck check)
        {
            Check(check.Spec.Class, check.Spec.Class.Name, check.Sites.Identifier);
            ForEachStackClass(check, (stack, index) => Check(stack, check.StackName(index), check.Sites.Stacks[index].Identifier));

            void Check(ClassSpec type, string name, Diagnostics.LocationInfo location)
            {
                if (type.IsStatic)
                {
                    check.Report(ModelClassShapeError, location, name, "a static class");
                }
                else if (type.Kind != TypeDeclarationKind.Class)
                {
                    check.Report(ModelClassShapeError, location, name, type.Kind switch
                    {
                        TypeDeclarationKind.Record => "a record",
                        TypeDeclarationKind.Struct => "a struct",
                        TypeDeclarationKind.RecordStruct => "a record struct",
                        TypeDeclarationKind.Interface => "an interface",
                        _ => "an enum or delegate",
                    });
                }
                else if (type.IsAbstract)
                {
                    check.Report(ModelClassShapeError, location, name, "an abstract class (the generated code creates instances)");
                }
                else if (type.BaseClass is { } baseClass)
                {
                    check.Report(ModelClassShapeError, location, name, "a subclass of '" + baseClass + "' (the generated model derives from TorchSharp's torch.nn.Module)");
                }
                else if (type.HasPrimaryConstructor)
                {
                    check.Report(ModelClassShapeError, location, name, "a class with a primary constructor (the generated constructor would have to call it)");
                }
            }
        }

        /// <summary>CMP0041: the generated file cannot reopen a file-local type; it would declare a second
        /// type of the same name instead, and the model would silently get none of its members.</summary>
        public static void FileLocalType(ModelCheck check)
        {
            for (int i = 0; i < check.Spec.ContainingTypes.Count; i++)
            {
                if (check.Spec.ContainingTypes[i].IsFileLocal)
                {
                    check.Report(FileLocalTypeError, check.Sites.ContainingIdentifiers[i], check.Spec.ContainingTypes[i].Name);
                }
            }

            if (check.Spec.Class.IsFileLocal)
            {
                check.Report(FileLocalTypeError, check.Sites.Identifier, check.Spec.Class.Name);
            }
        }

        /// <summary>CMP0004: one class, one model; reported on each extra model attribute.</summary>
        public static void MultipleModelKinds(ModelCheck check)
        {
            for (int i = 0; i < check.Spec.OtherKinds.Count; i++)
            {
                check.Report(MultipleModelKindsError, check.Sites.OtherKindAttributes[i].Name, check.Spec.Class.Name, check.ModelAttribute, check.Spec.OtherKinds[i].ToString());
            }
        }

        /// <summary>CMP0005: a Seq2Seq model has exactly one encoder and one decoder.</summary>
        public static void StackCount(ModelCheck check)
        {
            if (check.Spec.Kind != ModelKind.Seq2Seq)
            {
                return;
            }

            foreach (StackRole role in new[] { StackRole.Encoder, StackRole.Decoder })
            {
                int count = check.Spec.Stacks.Count(s => s.Role == role);
                if (count != 1)
                {
                    check.Report(StackCountError, check.Sites.Identifier, check.Spec.Class.Name, role.ToString(), count);
                }
            }
        }

        private static void ForEachStackClass(ModelCheck check, System.Action<ClassSpec, int> action)
        {
            for (int i = 0; i < check.Spec.Stacks.Count; i++)
            {
                if (check.Spec.Stacks[i].Class is { } stack)
                {
                    action(stack, i);
                }
            }
        }
    }
}
