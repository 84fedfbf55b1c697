using Composer.Generator.Diagnostics;

namespace Composer.Generator.Specs
{
    /// <summary>The parse stage's output for one model: the spec and where it was written.</summary>
    internal sealed record ParsedModel(ModelSpec Spec, ModelSites Sites);

    /// <summary>
    /// The validate stage's output for one model: its diagnostics, and the spec when none of them is
    /// an error (only valid specs reach emission).
    /// </summary>
    internal sealed record ValidatedModel(ModelSpec? ValidSpec, EquatableArray<DiagnosticInfo> Diagnostics);
}
