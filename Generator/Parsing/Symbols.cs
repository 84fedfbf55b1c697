using System.Linq;
using System.Threading;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Parsing
{
    /// <summary>Small questions the parsers ask of symbols.</summary>
    internal static class Symbols
    {
        /// <summary>The metadata name of a Composer attribute (<c>LanguageModelAttribute</c>,
        /// <c>MixerAttribute`1</c>), or null for any other attribute.</summary>
        public static string? ComposerAttributeName(AttributeData attribute)
        {
            INamedTypeSymbol? type = attribute.AttributeClass;
            if (type is null || type.TypeKind == TypeKind.Error)
            {
                return null;
            }

            INamespaceSymbol? ns = type.ContainingNamespace;
            return ns is { Name: KnownNames.Namespace } && ns.ContainingNamespace is { IsGlobalNamespace: true }
                ? type.OriginalDefinition.MetadataName
                : null;
        }

        /// <summary>The namespace of <paramref name="type"/> as names joined by dots, unescaped as the
        /// syntax's <c>ValueText</c> gives them (<c>base.in</c> for <c>@base.@in</c>); empty for the global
        /// namespace. (<c>ToDisplayString</c> would escape keywords.)</summary>
        public static string NamespaceOf(ITypeSymbol type)
        {
            var parts = new System.Collections.Generic.List<string>();
            for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
            {
                parts.Insert(0, ns.Name);
            }

            return string.Join(".", parts);
        }

        /// <summary>
        /// How generated code names <paramref name="type"/> (<c>global::@base.Outer.@class</c>), written
        /// by <see cref="Emit.Identifiers.FullName"/> as the model emitter writes it, so the two compare
        /// equal. A generic type, which is never a generated model, keeps the compiler's display.
        /// </summary>
        public static string FullName(ITypeSymbol type)
        {
            var names = new System.Collections.Generic.List<string>();
            for (ITypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                if (current is not INamedTypeSymbol { Arity: 0 } || current.TypeKind == TypeKind.Error)
                {
                    return type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                }

                names.Insert(0, current.Name);
            }

            return Emit.Identifiers.FullName(NamespaceOf(type), names);
        }

        public static ModelKind? ModelKindOf(string? attributeName) => attributeName switch
        {
            "LanguageModelAttribute" => ModelKind.LanguageModel,
            "Seq2SeqAttribute" => ModelKind.Seq2Seq,
            "ClassifierAttribute" => ModelKind.Classifier,
            _ => null,
        };

        public static StackRole? StackRoleOf(string? attributeName) => attributeName switch
        {
            "EncoderAttribute" => StackRole.Encoder,
            "DecoderAttribute" => StackRole.Decoder,
            _ => null,
        };

        public static MixerKind? MixerKindOf(string? attributeName) => attributeName switch
        {
            "SelfAttentionAttribute" => MixerKind.SelfAttention,
            "LightweightConvolutionAttribute" => MixerKind.LightweightConvolution,
            "DynamicConvolutionAttribute" => MixerKind.DynamicConvolution,
            "LinearAttentionAttribute" => MixerKind.LinearAttention,
            "TaylorAttentionAttribute" => MixerKind.TaylorAttention,
            "ConstantAttentionAttribute" => MixerKind.ConstantAttention,
            "SynthesizerAttentionAttribute" => MixerKind.SynthesizerAttention,
            "LinformerAttribute" => MixerKind.Linformer,
            "LocalAttentionAttribute" => MixerKind.LocalAttention,
            "SparsemaxAttentionAttribute" => MixerKind.SparsemaxAttention,
            "RecurrentAttribute" => MixerKind.Recurrent,
            "ScoredAttentionAttribute" => MixerKind.ScoredAttention,
            "PredictiveLocalAttentionAttribute" => MixerKind.PredictiveLocalAttention,
            "MultiDimensionalAttentionAttribute" => MixerKind.MultiDimensionalAttention,
            "LshAttentionAttribute" => MixerKind.LshAttention,
            "MixerAttribute`1" => MixerKind.User,
            _ => null,
        };

        /// <summary>The name users write: <c>LanguageModel</c> for <c>LanguageModelAttribute</c>.</summary>
        public static string ShortName(string attributeName)
        {
            int tick = attributeName.IndexOf('`');
            string name = tick >= 0 ? attributeName.Substring(0, tick) : attributeName;
            return name.EndsWith("Attribute") ? name.Substring(0, name.Length - "Attribute".Length) : name;
        }

        public static ClassSpec ClassOf(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            bool isPartial = type.DeclaringSyntaxReferences.Any(reference =>
                reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
            bool hasPrimaryConstructor = !type.IsRecord && type.DeclaringSyntaxReferences.Any(reference =>
                reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null });
            INamedTypeSymbol? baseType = type.BaseType;
            bool hasBase = baseType is not null && baseType.SpecialType != SpecialType.System_Object && type.TypeKind == TypeKind.Class && !type.IsRecord;
            TypeDeclarationKind kind = type.TypeKind switch
            {
                TypeKind.Class => type.IsRecord ? TypeDeclarationKind.Record : TypeDeclarationKind.Class,
                TypeKind.Struct => type.IsRecord ? TypeDeclarationKind.RecordStruct : TypeDeclarationKind.Struct,
                TypeKind.Interface => TypeDeclarationKind.Interface,
                _ => TypeDeclarationKind.Other,
            };
            // Its own type parameters only: IsGenericType is also true for a type nested in a generic one,
            // which is then reported on the generic container, not on this type.
            bool generic = type.Arity > 0;
            return new ClassSpec(
                generic ? type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) : type.Name,
                kind,
                isPartial,
                type.IsStatic,
                generic,
                type.IsAbstract && !type.IsStatic && type.TypeKind != TypeKind.Interface,
                hasBase ? baseType!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) : null,
                Keyword(type.DeclaredAccessibility),
                type.IsFileLocal,
                hasPrimaryConstructor);
        }

        /// <summary>The members the user declared in <paramref name="type"/>, in all its parts, in source
        /// order (see <see cref="MemberSite"/>).</summary>
        public static EquatableArray<MemberSite> MembersOf(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var members = new System.Collections.Generic.List<MemberSite>();
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member.IsImplicitlyDeclared || member.Locations.FirstOrDefault(l => l.IsInSource) is not { } location
                    || Diagnostics.LocationInfo.From(location) is not { } site)
                {
                    continue;
                }

                (string Kind, string? Signature)? read = member switch
                {
                    IMethodSymbol { MethodKind: MethodKind.Ordinary } method => ("method", Signature(method)),
                    IMethodSymbol { MethodKind: MethodKind.Constructor, IsStatic: false } constructor => ("constructor", Signature(constructor)),
                    IPropertySymbol { IsIndexer: false, ExplicitInterfaceImplementations.Length: 0 } => ("property", null),
                    IFieldSymbol { AssociatedSymbol: null } field => (field.IsConst ? "constant" : "field", null),
                    IEventSymbol { ExplicitInterfaceImplementations.Length: 0 } => ("event", null),
                    INamedTypeSymbol nested => (KindOf(nested), null),
                    _ => null,
                };
                if (read is { } r)
                {
                    members.Add(new MemberSite(member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? type.Name : member.Name, r.Kind, r.Signature, site));
                }
            }

            return members
                .OrderBy(m => m.Location.FilePath, System.StringComparer.Ordinal)
                .ThenBy(m => m.Location.Span.Start)
                .ToEquatableArray();
        }

        /// <summary>A method's generic arity and fully qualified parameter types, as <see cref="MemberSite.Signature"/>
        /// and the generated members compare them.</summary>
        private static string Signature(IMethodSymbol method) =>
            "`" + Text.Invariant(method.Arity) + "(" + string.Join(", ", method.Parameters.Select(p => RefKindPrefix(p.RefKind) + p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ")";

        private static string RefKindPrefix(RefKind kind) => kind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In => "in ",
            RefKind.RefReadOnlyParameter => "ref readonly ",
            _ => string.Empty,
        };

        /// <summary>How C# declares a type: <c>class</c>, <c>record struct</c>, <c>delegate</c>, ….</summary>
        public static string KindOf(INamedTypeSymbol type) => type.TypeKind switch
        {
            TypeKind.Class => type.IsRecord ? "record" : "class",
            TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
            TypeKind.Interface => "interface",
            TypeKind.Enum => "enum",
            TypeKind.Delegate => "delegate",
            _ => "type",
        };

        private static string Keyword(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Internal => "internal",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };

        /// <summary>The identifier of the declaration that carries <paramref name="attribute"/>, or of
        /// the type's first declaration.</summary>
        public static SyntaxToken? IdentifierOf(INamedTypeSymbol type, AttributeData? attribute, CancellationToken cancellationToken)
        {
            if (attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken)?.Parent?.Parent is TypeDeclarationSyntax carrier)
            {
                return carrier.Identifier;
            }

            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration)
                {
                    return declaration.Identifier;
                }
            }

            return null;
        }
    }
}
