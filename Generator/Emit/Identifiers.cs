using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace Composer.Generator.Emit
{
    /// <summary>
    /// The user's names as generated code writes them. Specs hold a name as the compiler reads it
    /// (<c>class</c> for <c>@class</c>, <c>Abc</c> for <c>\u0041bc</c>, Unicode letters as they are);
    /// written back into code, a keyword needs its <c>@</c> again. Contextual keywords get one too
    /// (<c>@record</c>, <c>@var</c>): it is legal everywhere, and needed wherever the word would read as
    /// the keyword (a member of type <c>record</c> reads as a record declaration).
    /// </summary>
    internal static class Identifiers
    {
        /// <summary>One identifier, escaped when it is a keyword or a contextual keyword.</summary>
        public static string Escape(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
                ? "@" + name
                : name;

        /// <summary>A dotted namespace (<c>base.in</c>), each part escaped (<c>@base.@in</c>).</summary>
        public static string Dotted(string dotted) => string.Join(".", dotted.Split('.').Select(Escape));

        /// <summary>
        /// A type's fully qualified name as code writes it (<c>global::@base.Outer.@class</c>): the
        /// namespace (empty for the global one) and the type names from the outermost in. The model
        /// emitter and the training executable's parser both build it here, so the names they compare
        /// are written the same way.
        /// </summary>
        public static string FullName(string ns, IEnumerable<string> typeNames) =>
            "global::" + (ns.Length > 0 ? Dotted(ns) + "." : string.Empty) + string.Join(".", typeNames.Select(Escape));
    }
}
