using Composer.Generator.Diagnostics;

namespace Composer.Generator.Specs
{
    /// <summary>The parse stage's output for one model: the spec and where it was written.</summary>
    internal sealed record ParsedModel(ModelSpec Spec, ModelSites Sites);

    /// <summary>
    /// The validate stage's output for one model: the spec, its diagnostics, and whether none of them
    /// is an error (only valid specs reach emission). It holds no locations beyond those inside the
    /// diagnostics, so a valid model that merely moved compares equal.
    /// </summary>
    internal sealed record ValidatedModel(ModelSpec Spec, bool IsValid, EquatableArray<DiagnosticInfo> Diagnostics);
}
