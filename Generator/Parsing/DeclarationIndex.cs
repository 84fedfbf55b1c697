using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Parsing
{
    /// <summary>
    /// What the syntactic reading of one declaration cannot see from its own file: which types have
    /// more than one part, whether the project declares types or namespaces that could capture a
    /// Composer name, and its global usings. Built from the syntax of every file and compared by value,
    /// so an edit that leaves these facts alone leaves every declaration's reading cached.
    /// </summary>
    /// <param name="MultiPartTypes">Type keys (<see cref="SyntaxNames.TypeKey"/>) declared more than once.</param>
    /// <param name="ComposerNamesRedeclared">Some source type is named like a Composer attribute or enum
    /// (and could be what a written name binds to), or a namespace named Composer is declared inside another.</param>
    /// <param name="ImportsComposerGlobally">A <c>global using Composer;</c>.</param>
    /// <param name="GlobalAliases">The names global using aliases introduce.</param>
    internal sealed record DeclarationIndex(
        EquatableArray<string> MultiPartTypes,
        bool ComposerNamesRedeclared,
        bool ImportsComposerGlobally,
        EquatableArray<string> GlobalAliases)
    {
        /// <summary>One fact from one node; <see cref="Build"/> gathers them.</summary>
        internal sealed record Entry(string? TypeKey, bool RedeclaresComposerName, bool ImportsComposer, string? GlobalAlias);

        public static bool IsIndexed(SyntaxNode node, CancellationToken cancellationToken) =>
            node is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or BaseNamespaceDeclarationSyntax
            || node is UsingDirectiveSyntax { GlobalKeyword.RawKind: (int)SyntaxKind.GlobalKeyword };

        /// <summary>The fact one indexed node contributes.</summary>
        public static Entry Read(SyntaxNode node) => node switch
        {
            BaseTypeDeclarationSyntax type => new Entry(SyntaxNames.TypeKey(type), Captures(type.Identifier.ValueText, type), false, null),
            DelegateDeclarationSyntax d => new Entry(SyntaxNames.TypeKey(d), Captures(d.Identifier.ValueText, null), false, null),
            BaseNamespaceDeclarationSyntax ns => new Entry(null, InnerComposerNamespace(ns), false, null),
            UsingDirectiveSyntax { Alias: { } alias } => new Entry(null, false, false, alias.Name.Identifier.ValueText),
            UsingDirectiveSyntax { StaticKeyword.RawKind: 0, Name: { } name } => new Entry(null, false, SyntaxNames.IsComposerNamespace(name), null),
            _ => new Entry(null, false, false, null),
        };

        public static DeclarationIndex Build(ImmutableArray<Entry> entries, CancellationToken cancellationToken)
        {
            var seen = new HashSet<string>();
            var repeated = new SortedSet<string>(System.StringComparer.Ordinal);
            var aliases = new SortedSet<string>(System.StringComparer.Ordinal);
            bool redeclared = false, imports = false;
            foreach (Entry entry in entries)
            {
                if (entry.TypeKey is { } key && !seen.Add(key))
                {
                    repeated.Add(key);
                }

                redeclared |= entry.RedeclaresComposerName;
                imports |= entry.ImportsComposer;
                if (entry.GlobalAlias is { } alias)
                {
                    aliases.Add(alias);
                }
            }

            return new DeclarationIndex(repeated.ToEquatableArray(), redeclared, imports, aliases.ToEquatableArray());
        }

        // A type named like a Composer enum captures Enum.Member; one named like an attribute class
        // (XAttribute), or like its short name with a base list (it may derive from Attribute), can
        // capture [X]. A nested class named Encoder without a base list (the usual stack) cannot.
        private static bool Captures(string name, BaseTypeDeclarationSyntax? type)
        {
            if (AttributeShape.Enums.ContainsKey(name) || name == "MixerAttribute" || AttributeShape.All.ContainsKey(name))
            {
                return true;
            }

            return SyntaxNames.ComposerNames.Contains(name) && (type is null || type.BaseList is not null || type is EnumDeclarationSyntax);
        }

        // namespace Lab.Composer, or namespace Composer inside namespace Lab: "Composer." would bind to it.
        private static bool InnerComposerNamespace(BaseNamespaceDeclarationSyntax ns)
        {
            string[] segments = SyntaxNames.Dotted(ns.Name).Split('.');
            bool nested = ns.Parent is BaseNamespaceDeclarationSyntax;
            return segments.Skip(nested ? 0 : 1).Contains(KnownNames.Namespace);
        }
    }
}
