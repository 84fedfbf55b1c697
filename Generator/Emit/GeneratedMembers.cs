using System.Collections.Generic;
using System.Linq;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Emit
{
    /// <summary>
    /// A member Composer generates into the model class or a nested stack class: its name, what it is
    /// (as <see cref="MemberSite.Kind"/> says it), its <see cref="MemberSite.Signature"/> when it is a
    /// method or constructor, and how a message names it (<c>method forward(Tensor, Tensor?)</c>).
    /// </summary>
    internal sealed record GeneratedMember(string Name, string Kind, string? Signature, string Description);

    /// <summary>
    /// The members the emitter writes into each class it generates into, read back from the source it
    /// generates for the spec, so the list never drifts from what is actually emitted.
    /// </summary>
    internal static class GeneratedMembers
    {
        /// <summary>The generated members of the model class (key: its name) and of each nested stack class
        /// (key: the stack class's name), read from <paramref name="source"/>, what the emitter writes for
        /// <paramref name="spec"/>.</summary>
        public static Dictionary<string, List<GeneratedMember>> Of(ModelSpec spec, string source)
        {
            var classes = new Dictionary<string, List<GeneratedMember>>();
            SyntaxNode root = CSharpSyntaxTree.ParseText(source).GetRoot();
            TypeDeclarationSyntax? model = root.DescendantNodes()
                .OfType<TypeDeclarationSyntax>()
                .FirstOrDefault(t => t.Identifier.ValueText == spec.Class.Name && t.Ancestors().OfType<TypeDeclarationSyntax>().Count() == spec.ContainingTypes.Count);
            if (model is null)
            {
                return classes;
            }

            string fullName = ModelEmitter.FullName(spec);
            classes[spec.Class.Name] = Read(model, spec.Class.Name, fullName, fullName);

            // The nested stack classes are reopened (partial); the rest nested in the model is generated.
            foreach (TypeDeclarationSyntax stack in model.Members.OfType<TypeDeclarationSyntax>().Where(t => t.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                string name = stack.Identifier.ValueText;
                classes[name] = Read(stack, name, fullName + "." + Identifiers.Escape(name), fullName);
            }

            return classes;
        }

        /// <summary>
        /// Whether <paramref name="source"/> may declare a member named one of <paramref name="names"/>: a
        /// scan of the text, much cheaper than parsing it, so that the parse runs only for the rare
        /// declaration that can clash. A name counts where it stands as a whole word after what reads as a
        /// type (a word other than a modifier or <c>new</c>, or <c>&gt;</c>, <c>]</c>, <c>?</c>) or after
        /// <c>class</c> (but not <c>partial class</c>, which reopens a type), and before what starts the
        /// rest of a member (<c>{ ( ; = ,</c>, or <c>:</c> after a type's name). It may say yes for a word that declares nothing (the parse
        /// then decides), never no for one that declares a field, property, method or nested type.
        /// </summary>
        public static bool MayDeclare(string source, IEnumerable<string> names)
        {
            foreach (string name in names)
            {
                for (int at = source.IndexOf(name, System.StringComparison.Ordinal); at >= 0; at = source.IndexOf(name, at + 1, System.StringComparison.Ordinal))
                {
                    int end = at + name.Length;
                    int start = at > 0 && source[at - 1] == '@' ? at - 1 : at;
                    if ((start > 0 && IsWordChar(source[start - 1])) || (end < source.Length && IsWordChar(source[end])))
                    {
                        continue;
                    }

                    char next = NextNonSpace(source, end);
                    string previous = WordBefore(source, start, out char before);
                    bool typeDeclaration = previous is "class" or "struct" or "record" or "interface" or "enum" or "delegate";
                    if ((typeDeclaration ? "{(;:" : "{(;=,").IndexOf(next) < 0)
                    {
                        continue;
                    }

                    if (typeDeclaration ? !Reopens(source, start)
                        : previous.Length > 0 ? before == '@' || !NotATypeWords.Contains(previous) : before is '>' or ']' or '?')
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static readonly HashSet<string> NotATypeWords = new HashSet<string>
        {
            "public", "private", "protected", "internal", "static", "readonly", "const", "sealed", "abstract", "virtual",
            "override", "extern", "unsafe", "volatile", "async", "required", "partial", "new", "return", "in", "out", "ref",
            "is", "as", "case", "using", "namespace", "nameof", "typeof", "default", "throw", "await", "else", "get", "set", "init",
        };

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

        /// <summary>Whether the type declaration whose name starts at <paramref name="at"/> is <c>partial</c>:
        /// a reopened type, not a new member.</summary>
        private static bool Reopens(string text, int at)
        {
            int from = text.LastIndexOfAny(new[] { ';', '{', '}' }, at - 1) + 1;
            string header = " " + text.Substring(from, at - from).Replace('\n', ' ') + " ";
            return header.Contains(" partial ");
        }

        private static char NextNonSpace(string text, int from)
        {
            while (from < text.Length && char.IsWhiteSpace(text[from]))
            {
                from++;
            }

            return from < text.Length ? text[from] : '\0';
        }

        /// <summary>The word just before <paramref name="at"/>, and in <paramref name="before"/> the character
        /// before that word (<c>@</c> for an escaped identifier), or the symbol standing there instead of a
        /// word (then the word is empty).</summary>
        private static string WordBefore(string text, int at, out char before)
        {
            int end = at;
            while (end > 0 && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }

            int start = end;
            while (start > 0 && IsWordChar(text[start - 1]))
            {
                start--;
            }

            before = start > 0 ? text[start - 1] : '\0';
            return text.Substring(start, end - start);
        }

        private static List<GeneratedMember> Read(TypeDeclarationSyntax type, string name, string fullName, string modelFullName)
        {
            var members = new List<GeneratedMember>();
            foreach (MemberDeclarationSyntax member in type.Members)
            {
                switch (member)
                {
                    case FieldDeclarationSyntax field:
                        string kind = field.Modifiers.Any(SyntaxKind.ConstKeyword) ? "constant" : "field";
                        members.AddRange(field.Declaration.Variables.Select(v => new GeneratedMember(v.Identifier.ValueText, kind, null, kind + " " + v.Identifier.ValueText)));
                        break;
                    case PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } property:
                        members.Add(new GeneratedMember(property.Identifier.ValueText, "property", null, "property " + property.Identifier.ValueText));
                        break;
                    case MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method:
                        members.Add(Method(method.Identifier.ValueText, "method", method.Arity, method.ParameterList, modelFullName));
                        break;
                    case ConstructorDeclarationSyntax constructor when !constructor.Modifiers.Any(SyntaxKind.StaticKeyword):
                        members.Add(Method(name, "constructor", 0, constructor.ParameterList, modelFullName));
                        break;
                    case TypeDeclarationSyntax nested when !nested.Modifiers.Any(SyntaxKind.PartialKeyword):
                        members.Add(new GeneratedMember(nested.Identifier.ValueText, "class", null, "class " + nested.Identifier.ValueText));
                        break;
                }
            }

            return members;
        }

        /// <summary>A generated method with its signature written as <see cref="Parsing.Symbols"/> writes a
        /// user method's: fully qualified types without nullable-reference annotations. The emitter
        /// qualifies every type with <c>global::</c> but those it nests in the model (the decoding state).</summary>
        private static GeneratedMember Method(string name, string kind, int arity, ParameterListSyntax parameters, string modelFullName)
        {
            var types = new List<string>();
            var shortTypes = new List<string>();
            foreach (ParameterSyntax parameter in parameters.Parameters)
            {
                string type = parameter.Type!.ToString();
                string element = type.TrimEnd('?', '[', ']');
                bool keyword = SyntaxFacts.GetKeywordKind(element) != SyntaxKind.None;

                // A ? on a reference type is an annotation, not part of the signature; on long it is Nullable<long>.
                string bare = type.EndsWith("?", System.StringComparison.Ordinal) && !keyword ? type.Substring(0, type.Length - 1) : type;
                types.Add(keyword || bare.StartsWith("global::", System.StringComparison.Ordinal) ? bare : modelFullName + "." + bare);
                shortTypes.Add(type.Substring(type.LastIndexOf('.') + 1));
            }

            string signature = "`" + Text.Invariant(arity) + "(" + string.Join(", ", types) + ")";
            return new GeneratedMember(name, kind, signature, kind + " " + name + "(" + string.Join(", ", shortTypes) + ")");
        }
    }
}
