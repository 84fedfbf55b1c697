using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Parsing
{
    /// <summary>
    /// The first stage of the declaration pipeline: every attributed type declaration, read from its
    /// syntax (<see cref="SyntaxModelParser"/>). It never touches the semantic model, so the work for an
    /// unchanged file is a walk over syntax the compiler already holds.
    /// </summary>
    internal static class DeclarationScanner
    {
        public static bool IsAttributedType(SyntaxNode node, CancellationToken cancellationToken) =>
            node is TypeDeclarationSyntax { AttributeLists.Count: > 0 };

        /// <summary>Reads one attributed type declaration (the semantic model is never asked for).</summary>
        public static ScannedDeclaration Scan(TypeDeclarationSyntax declaration)
        {
            var names = declaration.AttributeLists
                .SelectMany(list => list.Attributes)
                .Select(attribute => SyntaxNames.Written(attribute.Name).Name)
                .ToEquatableArray();
            var aliases = new HashSet<string>(SyntaxNames.LocalAliases(declaration));
            bool relevant = names.Any(name => SyntaxNames.ComposerNames.Contains(name) || aliases.Contains(name));
            if (!relevant)
            {
                return new ScannedDeclaration(string.Empty, default, names, Relevant: false, Syntactic: false, Reason: null, NeedsImport: false,
                    EquatableArray<string>.Empty, EquatableArray<ParsedModel>.Empty, EquatableArray<PlacementSpec>.Empty);
            }

            // This type, the types around it and the types nested in it: if any of them has another part,
            // the compiler has to put the parts together.
            var keys = ImmutableArray.CreateBuilder<string>();
            for (SyntaxNode? node = declaration; node is BaseTypeDeclarationSyntax type; node = node.Parent)
            {
                keys.Add(SyntaxNames.TypeKey(type));
            }

            foreach (MemberDeclarationSyntax member in declaration.Members)
            {
                if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)
                {
                    keys.Add(SyntaxNames.TypeKey(member));
                }
            }

            var parsed = SyntaxModelParser.TryParse(declaration, out string? reason, out bool needsImport);
            return new ScannedDeclaration(
                declaration.SyntaxTree.FilePath,
                declaration.Span,
                names,
                Relevant: true,
                Syntactic: parsed is not null,
                reason,
                NeedsImport: needsImport && !SyntaxNames.ImportsComposer(declaration),
                keys.ToEquatableArray(),
                parsed?.Models ?? EquatableArray<ParsedModel>.Empty,
                parsed?.Placements ?? EquatableArray<PlacementSpec>.Empty);
        }

        /// <summary>
        /// Judges a scanned declaration against the whole compilation: null when it carries nothing of
        /// Composer's, otherwise whether its syntactic reading stands.
        /// </summary>
        public static Resolution? Resolve(ScannedDeclaration scan, DeclarationIndex index, bool readThroughCompiler = false)
        {
            bool globalAlias = scan.AttributeNames.Any(index.GlobalAliases.Contains);
            if (!scan.Relevant && !globalAlias)
            {
                return null;
            }

            bool semantic = readThroughCompiler
                || !scan.Syntactic
                || globalAlias
                || index.ComposerNamesRedeclared
                || (scan.NeedsImport && !index.ImportsComposerGlobally)
                || scan.TypeKeys.Any(index.MultiPartTypes.Contains);
            return new Resolution(scan, semantic);
        }
    }
}
