using System;
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
    /// Stack and mixer attributes seen on their own, through the compiler: records whether the class they
    /// sit on gives them an effect. Used for the declarations the syntax cannot settle
    /// (<see cref="SyntaxModelParser"/> reads the rest the same way from syntax).
    /// </summary>
    internal static class PlacementParser
    {
        /// <summary>One placement per stack or mixer attribute kind written on this declaration.</summary>
        public static EquatableArray<PlacementSpec> Parse(SemanticModel semanticModel, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
        {
            if (semanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type)
            {
                return EquatableArray<PlacementSpec>.Empty;
            }

            // Only the attributes written on this declaration: a partial class's other parts report theirs.
            ImmutableArray<AttributeData> all = type.GetAttributes();
            var written = new List<(string Name, AttributeData Attribute)>();
            foreach (AttributeData attribute in all)
            {
                string? name = Symbols.ComposerAttributeName(attribute);
                if (name is null || (Symbols.MixerKindOf(name) is null && Symbols.StackRoleOf(name) is null)
                    || attribute.ApplicationSyntaxReference is not { } reference
                    || reference.SyntaxTree != declaration.SyntaxTree
                    || !declaration.Span.Contains(reference.Span))
                {
                    continue;
                }

                written.Add((name, attribute));
            }

            if (written.Count == 0)
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
            var fallback = LocationInfo.From(declaration);
            return Judge(written, onStack, inSeq2Seq, type.Arity > 0 ? type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) : type.Name,
                attribute => AttributeReader.Site(attribute, fallback, cancellationToken).Name);
        }

        /// <summary>
        /// The placements of the stack and mixer attributes written on one class (by metadata name, in
        /// order), however they were read: one per attribute kind, or none when every one sits where it
        /// has an effect — mixers on a model or stack class, stacks directly inside a [Seq2Seq] model.
        /// </summary>
        public static EquatableArray<PlacementSpec> Judge<TAttribute>(
            IReadOnlyList<(string Name, TAttribute Attribute)> written,
            bool onStack,
            bool inSeq2Seq,
            string className,
            Func<TAttribute, LocationInfo> site)
        {
            var groups = new List<(string Name, List<TAttribute> Attributes)>();
            foreach (var (name, attribute) in written)
            {
                int index = groups.FindIndex(g => g.Name == name);
                if (index < 0)
                {
                    groups.Add((name, new List<TAttribute> { attribute }));
                }
                else
                {
                    groups[index].Attributes.Add(attribute);
                }
            }

            // Most attributes sit where they belong: nothing to report, and nothing more to compute.
            if (groups.All(g => Symbols.MixerKindOf(g.Name) is not null ? onStack : inSeq2Seq))
            {
                return EquatableArray<PlacementSpec>.Empty;
            }

            var placements = ImmutableArray.CreateBuilder<PlacementSpec>();
            foreach (var (name, attributes) in groups)
            {
                bool isMixer = Symbols.MixerKindOf(name) is not null;
                bool hasHome = isMixer ? onStack : inSeq2Seq;
                var sites = hasHome ? EquatableArray<LocationInfo>.Empty : attributes.Select(site).ToEquatableArray();
                placements.Add(new PlacementSpec(isMixer, Symbols.ShortName(name), className, hasHome, sites));
            }

            return placements.ToEquatableArray();
        }
    }
}
