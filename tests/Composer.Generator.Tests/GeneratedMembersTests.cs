using System.Linq;
using Composer.Generator.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// The member-clash rule (CMP0043) parses the generated source only when a cheap scan says a clash is
    /// possible; the scan may say yes wrongly, never no. Checked on every generated source of the test
    /// corpus: each member it declares is found by the scan, and the model's own name, which every
    /// generated file repeats, is not mistaken for a member.
    /// </summary>
    public sealed class GeneratedMembersTests
    {
        [Theory]
        [MemberData(nameof(GeneratedSourceTests.Cases), MemberType = typeof(GeneratedSourceTests))]
        public void TheScanFindsEveryGeneratedMember(string name)
        {
            foreach (GeneratedSourceResult source in GeneratedSourceTests.RunCase(name).Result.GeneratedSources)
            {
                string text = source.SourceText.ToString();
                var types = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>().ToList();
                foreach (TypeDeclarationSyntax type in types)
                {
                    foreach (MemberDeclarationSyntax member in type.Members)
                    {
                        foreach (string declared in Names(member))
                        {
                            Assert.True(GeneratedMembers.MayDeclare(text, new[] { declared }), $"{source.HintName}: the scan misses {declared}");
                        }
                    }

                    if (type.Modifiers.Any(SyntaxKind.PartialKeyword) && type.Members.Count > 0 && !types.Any(t => t != type && Names(t).Contains(type.Identifier.ValueText)))
                    {
                        Assert.False(GeneratedMembers.MayDeclare(text, new[] { type.Identifier.ValueText }), $"{source.HintName}: the scan takes the class {type.Identifier.ValueText} for a member");
                    }
                }
            }
        }

        private static string[] Names(MemberDeclarationSyntax member) => member switch
        {
            FieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText).ToArray(),
            PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } property => new[] { property.Identifier.ValueText },
            MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method => new[] { method.Identifier.ValueText },
            TypeDeclarationSyntax { Modifiers: var modifiers } nested when !modifiers.Any(SyntaxKind.PartialKeyword) => new[] { nested.Identifier.ValueText },
            _ => System.Array.Empty<string>(),
        };
    }
}
