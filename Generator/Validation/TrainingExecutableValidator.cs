using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Composer.Generator.Diagnostics;
using Composer.Generator.Specs;
using static Composer.Generator.Diagnostics.DiagnosticDescriptors;

namespace Composer.Generator.Validation
{
    /// <summary>Validate stage for the [TrainingExecutable] marker (CMP0032–CMP0035), one rule per id.</summary>
    internal static class TrainingExecutableValidator
    {
        public static EquatableArray<DiagnosticInfo> Validate(ParsedTrainingExecutable marker, CancellationToken cancellationToken)
        {
            var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
            NotAModel(marker, diagnostics);
            NoModels(marker, diagnostics);
            DuplicateModel(marker, diagnostics);
            NotExecutable(marker, diagnostics);
            return diagnostics.ToEquatableArray();
        }

        /// <summary>CMP0032: only declared models can be trained.</summary>
        private static void NotAModel(ParsedTrainingExecutable marker, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            for (int i = 0; i < marker.Spec.Models.Count; i++)
            {
                if (!marker.Spec.Models[i].IsModel && marker.Spec.Models[i].IsResolved)
                {
                    diagnostics.Add(DiagnosticInfo.Create(NotAModelError, marker.ModelSites[i], marker.Spec.Models[i].DisplayName));
                }
            }
        }

        /// <summary>CMP0033: an executable with nothing to train.</summary>
        private static void NoModels(ParsedTrainingExecutable marker, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            if (marker.Spec.Models.Count == 0 && marker.Spec.IsBound)
            {
                diagnostics.Add(DiagnosticInfo.Create(NoModelsError, marker.Attribute));
            }
        }

        /// <summary>CMP0034: each model is a command-line choice, so names must be distinct.</summary>
        private static void DuplicateModel(ParsedTrainingExecutable marker, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            var seen = new HashSet<string>();
            for (int i = 0; i < marker.Spec.Models.Count; i++)
            {
                TrainedModelSpec model = marker.Spec.Models[i];
                if (model.IsModel && !seen.Add(model.FullName))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DuplicateModelError, marker.ModelSites[i], model.DisplayName));
                }
            }
        }

        /// <summary>CMP0035: the generated entry point only runs in an executable.</summary>
        private static void NotExecutable(ParsedTrainingExecutable marker, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            if (!marker.Spec.IsExecutable)
            {
                diagnostics.Add(DiagnosticInfo.Create(NotExecutableWarning, marker.Attribute, marker.Spec.OutputKind));
            }
        }
    }
}
