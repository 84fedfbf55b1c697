using Composer.Generator.Specs;
using Microsoft.CodeAnalysis.Text;

namespace Composer.Generator.Parsing
{
    /// <summary>
    /// One attributed type declaration as the syntax alone reads it (<see cref="DeclarationScanner"/>).
    /// When <see cref="Syntactic"/>, <see cref="Models"/> and <see cref="Placements"/> are complete —
    /// provided the compilation-wide conditions in <see cref="Resolution"/> hold; otherwise the
    /// declaration is found again by <see cref="FilePath"/> and <see cref="Span"/> and read through the
    /// compiler. Plain values only, so an unchanged declaration compares equal across edits.
    /// </summary>
    /// <param name="FilePath">The file of the declaration.</param>
    /// <param name="Span">The declaration's span in it.</param>
    /// <param name="AttributeNames">The rightmost identifier of every attribute written on it (a global alias among them needs the compiler).</param>
    /// <param name="Relevant">It carries an attribute written with a Composer name or a local alias.</param>
    /// <param name="Syntactic">Everything on it was read from the syntax.</param>
    /// <param name="Reason">Why not, when not (tests and debugging).</param>
    /// <param name="NeedsImport">It writes a Composer name unqualified and its file does not import Composer (a global using may).</param>
    /// <param name="TypeKeys">This type, its enclosing types and its nested stack types (<see cref="SyntaxNames.TypeKey"/>): each must be declared once.</param>
    /// <param name="Models">One parsed model per model attribute kind on it.</param>
    /// <param name="Placements">Stack and mixer attributes where they have no effect.</param>
    internal sealed record ScannedDeclaration(
        string FilePath,
        TextSpan Span,
        EquatableArray<string> AttributeNames,
        bool Relevant,
        bool Syntactic,
        string? Reason,
        bool NeedsImport,
        EquatableArray<string> TypeKeys,
        EquatableArray<ParsedModel> Models,
        EquatableArray<PlacementSpec> Placements);

    /// <summary>
    /// A scanned declaration judged against the whole compilation: either its syntactic reading stands
    /// (<see cref="Semantic"/> false) or the compiler must read it.
    /// </summary>
    internal sealed record Resolution(ScannedDeclaration Declaration, bool Semantic);
}
