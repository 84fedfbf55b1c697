using System.Linq;
using System.Threading;
using Composer.Generator.Diagnostics;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;

namespace Composer.Generator.Parsing
{
    /// <summary>Parse stage for stack and mixer attributes seen on their own: records whether the
    /// class they sit on gives them an effect.</summary>
    internal static class PlacementParser
    {
        public static PlacementSpec? ParseStack(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.IsEmpty)
            {
                return null;
            }

            bool inSeq2Seq = type.ContainingType is { } outer
                && outer.GetAttributes().Any(a => Symbols.ModelKindOf(Symbols.ComposerAttributeName(a)) == ModelKind.Seq2Seq);
            return Create(isMixer: false, type, context, inSeq2Seq, cancellationToken);
        }

        public static PlacementSpec? ParseMixer(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.IsEmpty)
            {
                return null;
            }

            bool onStack = type.GetAttributes().Any(a =>
            {
                string? name = Symbols.ComposerAttributeName(a);
                ModelKind? kind = Symbols.ModelKindOf(name);
                return kind is ModelKind.LanguageModel or ModelKind.Classifier || Symbols.StackRoleOf(name) is not null;
            });
            return Create(isMixer: true, type, context, onStack, cancellationToken);
        }

        private static PlacementSpec Create(bool isMixer, INamedTypeSymbol type, GeneratorAttributeSyntaxContext context, bool hasHome, CancellationToken cancellationToken)
        {
            AttributeData first = context.Attributes[0];
            string attribute = first.AttributeClass is { } c ? Symbols.ShortName(c.OriginalDefinition.MetadataName) : "?";
            var fallback = LocationInfo.From(context.TargetNode);
            var sites = hasHome
                ? EquatableArray<LocationInfo>.Empty
                : context.Attributes.Select(a => AttributeReader.Site(a, fallback, cancellationToken).Name).ToEquatableArray();
            return new PlacementSpec(isMixer, attribute, type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), hasHome, sites);
        }
    }
}
