using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Composer.Generator.Diagnostics;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Parsing
{
    /// <summary>
    /// Parse stage for stack and mixer attributes seen on their own: records whether the class they sit
    /// on gives them an effect. One pass per attributed class declaration (not one per attribute kind):
    /// these checks run on every class on every edit, so they share the class's binding.
    /// </summary>
    internal static class PlacementParser
    {
        /// <summary>The names a stack or mixer attribute can be written with, with and without the
        /// <c>Attribute</c> suffix: the syntactic filter, before any binding.</summary>
        private static readonly HashSet<string> Names = BuildNames();

        private static HashSet<string> BuildNames()
        {
            var names = new HashSet<string>();
            foreach (string metadata in KnownNames.MixerAttributes.Append(KnownNames.EncoderAttribute).Append(KnownNames.DecoderAttribute))
            {
                string name = metadata.Substring(metadata.LastIndexOf('.') + 1);
                int tick = name.IndexOf('`');
                name = tick >= 0 ? name.Substring(0, tick) : name;
                names.Add(name);
                names.Add(name.Substring(0, name.Length - "Attribute".Length));
            }

            return names;
        }

        /// <summary>Whether a node is a type declaration with an attribute that may be a stack or mixer attribute.</summary>
        public static bool MayCarryPlacements(SyntaxNode node, CancellationToken cancellationToken)
        {
            if (node is not TypeDeclarationSyntax { AttributeLists.Count: > 0 } declaration)
            {
                return false;
            }

            foreach (AttributeListSyntax list in declaration.AttributeLists)
            {
                foreach (AttributeSyntax attribute in list.Attributes)
                {
                    if (Names.Contains(SimpleName(attribute.Name)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>One placement per stack or mixer attribute kind written on this declaration.</summary>
        public static EquatableArray<PlacementSpec> Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is not INamedTypeSymbol type)
            {
                return EquatableArray<PlacementSpec>.Empty;
            }

            // Only the attributes written on this declaration: a partial class's other parts report theirs.
            var groups = new List<(string Name, List<AttributeData> Attributes)>();
            ImmutableArray<AttributeData> all = type.GetAttributes();
            foreach (AttributeData attribute in all)
            {
                string? name = Symbols.ComposerAttributeName(attribute);
                if (name is null || (Symbols.MixerKindOf(name) is null && Symbols.StackRoleOf(name) is null)
                    || attribute.ApplicationSyntaxReference is not { } reference
                    || reference.SyntaxTree != context.Node.SyntaxTree
                    || !context.Node.Span.Contains(reference.Span))
                {
                    continue;
                }

                int index = groups.FindIndex(g => g.Name == name);
                if (index < 0)
                {
                    groups.Add((name, new List<AttributeData> { attribute }));
                }
                else
                {
                    groups[index].Attributes.Add(attribute);
                }
            }

            if (groups.Count == 0)
            {
                return EquatableArray<PlacementSpec>.Empty;
            }

            bool inSeq2Seq = type.ContainingType is { } outer
                && outer.GetAttributes().Any(a => Symbols.ModelKindOf(Symbols.ComposerAttributeName(a)) == ModelKind.Seq2Seq);
            bool onStack = all.Any(a =>
            {
                string? name = Symbols.ComposerAttributeName(a);
                return Symbols.ModelKindOf(name) is ModelKind.LanguageModel or ModelKind.Classifier || Symbols.StackRoleOf(name) is not null;
            });
            // Most attributes sit where they belong: nothing to report, and nothing more to compute.
            if (groups.All(g => Symbols.MixerKindOf(g.Name) is not null ? onStack : inSeq2Seq))
            {
                return EquatableArray<PlacementSpec>.Empty;
            }

            var fallback = LocationInfo.From(context.Node);
            string className = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            var placements = ImmutableArray.CreateBuilder<PlacementSpec>();
            foreach (var (name, attributes) in groups)
            {
                bool isMixer = Symbols.MixerKindOf(name) is not null;
                bool hasHome = isMixer ? onStack : inSeq2Seq;
                var sites = hasHome
                    ? EquatableArray<LocationInfo>.Empty
                    : attributes.Select(a => AttributeReader.Site(a, fallback, cancellationToken).Name).ToEquatableArray();
                placements.Add(new PlacementSpec(isMixer, Symbols.ShortName(name), className, hasHome, sites));
            }

            return placements.ToEquatableArray();
        }

        private static string SimpleName(NameSyntax name) => name switch
        {
            QualifiedNameSyntax qualified => SimpleName(qualified.Right),
            AliasQualifiedNameSyntax alias => SimpleName(alias.Name),
            GenericNameSyntax generic => generic.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
    }
}
