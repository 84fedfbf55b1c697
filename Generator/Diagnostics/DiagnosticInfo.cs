using System.Linq;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;

namespace Composer.Generator.Diagnostics
{
    /// <summary>
    /// A diagnostic as plain values (descriptor, location, message arguments), equatable so that a
    /// model whose diagnostics did not change stays cached. <see cref="ToDiagnostic"/> turns it into
    /// a Roslyn <see cref="Diagnostic"/> only when it is reported.
    /// </summary>
    internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo location, params object[] arguments) =>
            new DiagnosticInfo(descriptor, location, arguments.Select(Text.Invariant).ToEquatableArray());

        public Diagnostic ToDiagnostic(SyntaxTree? tree) =>
            Diagnostic.Create(Descriptor, Location.ToLocation(tree), Arguments.Cast<object>().ToArray());
    }
}
