using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Parsing
{
    /// <summary>A declaration read through the compiler: its models (one per model attribute kind written on it) and misplaced attributes.</summary>
    internal sealed record DeclarationReading(EquatableArray<ParsedModel> Models, EquatableArray<PlacementSpec> Placements)
    {
        public static DeclarationReading Of(ScannedDeclaration scan) => new(scan.Models, scan.Placements);
    }

    /// <summary>
    /// The compiler's reading of a declaration the syntax could not settle (a partial type in several
    /// parts, a constant or alias, a user mixer, …): the declaration is found again by file and span in
    /// the current compilation and handed to <see cref="ModelParser"/> and <see cref="PlacementParser"/>.
    /// </summary>
    internal static class SemanticDeclarationParser
    {
        public static DeclarationReading Parse(ScannedDeclaration scan, Compilation compilation, CancellationToken cancellationToken)
        {
            if (Find(scan, compilation, cancellationToken) is not { } declaration)
            {
                return new DeclarationReading(EquatableArray<ParsedModel>.Empty, EquatableArray<PlacementSpec>.Empty);
            }

            SemanticModel semanticModel = compilation.GetSemanticModel(declaration.SyntaxTree);
            if (semanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type)
            {
                return new DeclarationReading(EquatableArray<ParsedModel>.Empty, EquatableArray<PlacementSpec>.Empty);
            }

            // One model per kind whose attribute is written on this declaration (not on another part of
            // the type), as ForAttributeWithMetadataName would match it.
            var models = ImmutableArray.CreateBuilder<ParsedModel>();
            ImmutableArray<AttributeData> attributes = type.GetAttributes();
            foreach (ModelKind kind in new[] { ModelKind.LanguageModel, ModelKind.Seq2Seq, ModelKind.Classifier })
            {
                AttributeData? attribute = attributes.FirstOrDefault(a =>
                    Symbols.ModelKindOf(Symbols.ComposerAttributeName(a)) == kind
                    && a.ApplicationSyntaxReference is { } reference
                    && reference.SyntaxTree == declaration.SyntaxTree
                    && declaration.Span.Contains(reference.Span));
                if (attribute is not null)
                {
                    models.Add(ModelParser.Parse(type, declaration, attribute, kind, cancellationToken));
                }
            }

            return new DeclarationReading(models.ToEquatableArray(), PlacementParser.Parse(semanticModel, declaration, cancellationToken));
        }

        private static TypeDeclarationSyntax? Find(ScannedDeclaration scan, Compilation compilation, CancellationToken cancellationToken)
        {
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                if (tree.FilePath != scan.FilePath || tree.Length < scan.Span.End)
                {
                    continue;
                }

                SyntaxNode node = tree.GetRoot(cancellationToken).FindNode(scan.Span, getInnermostNodeForTie: false);
                for (SyntaxNode? candidate = node; candidate is not null; candidate = candidate.Parent)
                {
                    if (candidate is TypeDeclarationSyntax type && type.Span == scan.Span)
                    {
                        return type;
                    }
                }
            }

            return null;
        }
    }
}
