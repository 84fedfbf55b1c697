using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Parsing
{
    /// <summary>How an attribute name was written: <c>X</c>, <c>Composer.X</c> / <c>global::Composer.X</c>, or qualified otherwise.</summary>
    internal enum Qualification
    {
        None,
        Composer,
        Other,
    }

    /// <summary>
    /// Questions about names that the syntax answers: what an attribute was written as, which namespace
    /// and types enclose a declaration, which names a file imports or aliases. The syntactic parse
    /// trusts these only where they cannot mean something else; the index of the whole compilation
    /// (<see cref="DeclarationIndex"/>) rules out the rest.
    /// </summary>
    internal static class SyntaxNames
    {
        /// <summary>Every name a declaration attribute can be written with (<c>SelfAttention</c>,
        /// <c>SelfAttentionAttribute</c>, the user mixer's <c>Mixer</c>) and the enums' names.</summary>
        public static readonly HashSet<string> ComposerNames = BuildComposerNames();

        private static HashSet<string> BuildComposerNames()
        {
            var names = new HashSet<string> { "Mixer", "MixerAttribute" };
            foreach (string name in AttributeShape.All.Keys)
            {
                names.Add(name);
                names.Add(name.Substring(0, name.Length - "Attribute".Length));
            }

            foreach (string name in AttributeShape.Enums.Keys)
            {
                names.Add(name);
            }

            return names;
        }

        /// <summary><c>Composer</c> or <c>global::Composer</c>, in an expression or a using directive.</summary>
        public static bool IsComposerNamespace(ExpressionSyntax expression) => expression switch
        {
            IdentifierNameSyntax { Identifier.ValueText: KnownNames.Namespace } => true,
            AliasQualifiedNameSyntax { Alias.Identifier.ValueText: "global", Name: IdentifierNameSyntax { Identifier.ValueText: KnownNames.Namespace } } => true,
            _ => false,
        };

        /// <summary>The rightmost identifier of an attribute's name, how it was qualified, and whether it is generic.</summary>
        public static (string Name, Qualification Qualification, bool IsGeneric) Written(NameSyntax name) => name switch
        {
            QualifiedNameSyntax qualified => (Simple(qualified.Right), IsComposerNamespace(qualified.Left) ? Qualification.Composer : Qualification.Other, qualified.Right is GenericNameSyntax),
            AliasQualifiedNameSyntax alias => (Simple(alias.Name), Qualification.Other, alias.Name is GenericNameSyntax),
            SimpleNameSyntax simple => (Simple(simple), Qualification.None, simple is GenericNameSyntax),
            _ => (string.Empty, Qualification.Other, false),
        };

        private static string Simple(SimpleNameSyntax name) => name.Identifier.ValueText;

        /// <summary>The namespace a declaration is in, its names unescaped and joined by dots as
        /// <see cref="Symbols.NamespaceOf"/> gives them (empty for the global namespace).</summary>
        public static string NamespaceOf(SyntaxNode declaration)
        {
            var parts = new List<string>();
            for (SyntaxNode? node = declaration.Parent; node is not null; node = node.Parent)
            {
                if (node is BaseNamespaceDeclarationSyntax ns)
                {
                    parts.Insert(0, Dotted(ns.Name));
                }
            }

            return string.Join(".", parts);
        }

        /// <summary>A namespace or type name with its identifiers joined by dots (no trivia, no <c>global::</c>).</summary>
        public static string Dotted(NameSyntax name) => name switch
        {
            QualifiedNameSyntax qualified => Dotted(qualified.Left) + "." + Dotted(qualified.Right),
            AliasQualifiedNameSyntax alias => Dotted(alias.Name),
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => name.ToString(),
        };

        /// <summary>
        /// A key naming a type declaration the same way for every part of a partial type: namespace,
        /// enclosing types and the type, each with its generic arity. Two declarations with one key are
        /// parts of one type, whose attributes and modifiers only the compiler can put together.
        /// </summary>
        public static string TypeKey(MemberDeclarationSyntax declaration)
        {
            var builder = new StringBuilder();
            var chain = new List<MemberDeclarationSyntax>();
            for (SyntaxNode? node = declaration; node is MemberDeclarationSyntax member && node is not BaseNamespaceDeclarationSyntax; node = node.Parent)
            {
                chain.Insert(0, member);
            }

            builder.Append(NamespaceOf(declaration)).Append("::");
            for (int i = 0; i < chain.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append('+');
                }

                builder.Append(chain[i] switch
                {
                    BaseTypeDeclarationSyntax type => type.Identifier.ValueText,
                    DelegateDeclarationSyntax d => d.Identifier.ValueText,
                    _ => "?",
                });
                int arity = chain[i] switch
                {
                    TypeDeclarationSyntax type => type.TypeParameterList?.Parameters.Count ?? 0,
                    DelegateDeclarationSyntax d => d.TypeParameterList?.Parameters.Count ?? 0,
                    _ => 0,
                };
                builder.Append('`').Append(arity);
            }

            return builder.ToString();
        }

        /// <summary>Whether <c>using Composer;</c> reaches the declaration (in its file or an enclosing
        /// namespace), or the declaration sits in the Composer namespace or one inside it.</summary>
        public static bool ImportsComposer(SyntaxNode declaration)
        {
            if (UsingsAround(declaration).Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name is { } name && IsComposerNamespace(name)))
            {
                return true;
            }

            string enclosing = NamespaceOf(declaration);
            return enclosing == KnownNames.Namespace || enclosing.StartsWith(KnownNames.Namespace + ".", System.StringComparison.Ordinal);
        }

        /// <summary>The names that using-alias and extern-alias directives in the declaration's file and
        /// enclosing namespaces introduce (global aliases of other files are in the index).</summary>
        public static IEnumerable<string> LocalAliases(SyntaxNode declaration)
        {
            IEnumerable<string> aliases = UsingsAround(declaration).Where(u => u.Alias is not null).Select(u => u.Alias!.Name.Identifier.ValueText);
            return declaration.SyntaxTree.GetRoot() is CompilationUnitSyntax root
                ? aliases.Concat(root.Externs.Select(e => e.Identifier.ValueText))
                : aliases;
        }

        /// <summary>The using directives that reach a declaration: its enclosing namespaces' and its file's.</summary>
        private static IEnumerable<UsingDirectiveSyntax> UsingsAround(SyntaxNode declaration)
        {
            for (SyntaxNode? node = declaration.Parent; node is not null; node = node.Parent)
            {
                SyntaxList<UsingDirectiveSyntax> usings = node switch
                {
                    BaseNamespaceDeclarationSyntax ns => ns.Usings,
                    CompilationUnitSyntax unit => unit.Usings,
                    _ => default,
                };
                foreach (UsingDirectiveSyntax directive in usings)
                {
                    yield return directive;
                }
            }
        }
    }
}
