using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Composer.Generator.Diagnostics
{
    /// <summary>
    /// Where a diagnostic points, as plain values: a <see cref="Location"/> holds its syntax tree,
    /// which would defeat the pipeline's caching, so it is rebuilt only when the diagnostic is reported.
    /// </summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo From(SyntaxNode node) => From(node.SyntaxTree, node.Span);

        public static LocationInfo From(SyntaxToken token) => From(token.SyntaxTree!, token.Span);

        /// <summary>A source location; null for one in metadata.</summary>
        public static LocationInfo? From(Location location) =>
            location.SourceTree is { } tree ? From(tree, location.SourceSpan) : null;

        private static LocationInfo From(SyntaxTree tree, TextSpan span) =>
            new LocationInfo(tree.FilePath, span, tree.GetLineSpan(span).Span);

        /// <summary>A source location in <paramref name="tree"/> when the caller found the file's tree
        /// (so <c>#pragma warning disable</c> and per-file severities apply), a file location otherwise.</summary>
        public Location ToLocation(SyntaxTree? tree) =>
            tree is null ? Location.Create(FilePath, Span, LineSpan) : Location.Create(tree, Span);
    }
}
