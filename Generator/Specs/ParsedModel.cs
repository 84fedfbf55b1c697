using Composer.Generator.Diagnostics;

namespace Composer.Generator.Specs
{
    /// <summary>The parse stage's output for one model: the spec and where it was written.</summary>
    internal sealed record ParsedModel(ModelSpec Spec, ModelSites Sites);

    /// <summary>
    /// The validate stage's output for one model: the spec, its diagnostics, whether it is valid (no
    /// error, and no value the compiler could not compute), and whether it is generated (valid, with
    /// Composer.Runtime referenced). It holds no locations
    /// beyond those inside the diagnostics, so a valid model that merely moved compares equal.
    /// </summary>
    internal sealed record ValidatedModel(ModelSpec Spec, bool IsValid, bool Generate, EquatableArray<DiagnosticInfo> Diagnostics);
}
