using Composer.Generator.Diagnostics;

namespace Composer.Generator.Specs
{
    /// <summary>The assembly's [TrainingExecutable] marker: the listed types, what the project builds and
    /// whether Composer.Runtime (which the entry point calls) is referenced. <see cref="IsBound"/> is false
    /// when the compiler could not bind the marker's arguments (it reports why), so the list is unknown.</summary>
    internal sealed record TrainingExecutableSpec(EquatableArray<TrainedModelSpec> Models, string OutputKind, bool IsExecutable, bool HasRuntime, bool IsBound);

    /// <summary>One listed type; <see cref="FullName"/> is fully qualified for emission. <see cref="IsResolved"/>
    /// is false for a type the compiler could not find (it reports that itself).</summary>
    internal sealed record TrainedModelSpec(string FullName, string DisplayName, bool IsModel, bool IsResolved);

    /// <summary>The parse stage's output for the marker: the spec, the attribute's name and each
    /// listed type's location (index for index).</summary>
    internal sealed record ParsedTrainingExecutable(TrainingExecutableSpec Spec, LocationInfo Attribute, EquatableArray<LocationInfo> ModelSites);
}
