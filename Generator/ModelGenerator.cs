using System.Threading;
using Composer.Generator.Diagnostics;
using Composer.Generator.Parsing;
using Composer.Generator.Specs;
using Composer.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator
{
    /// <summary>
    /// Composer's incremental generator. This class only wires the pipeline; the stages live in
    /// <see cref="ModelParser"/> (parse), <see cref="ModelValidator"/> (validate) and, later, the
    /// emitter. Each model kind gets its own <c>ForAttributeWithMetadataName</c> node, so an edit
    /// re-parses only the model it touches.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ModelGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValueProvider<SourceTrees> trees = context.CompilationProvider
                .Select((compilation, _) => new SourceTrees(compilation))
                .WithTrackingName(TrackingNames.SourceTrees);

            RegisterModels(context, trees, KnownNames.LanguageModelAttribute, ModelKind.LanguageModel, TrackingNames.LanguageModelParse, TrackingNames.LanguageModelValidate);
            RegisterModels(context, trees, KnownNames.Seq2SeqAttribute, ModelKind.Seq2Seq, TrackingNames.Seq2SeqParse, TrackingNames.Seq2SeqValidate);
            RegisterModels(context, trees, KnownNames.ClassifierAttribute, ModelKind.Classifier, TrackingNames.ClassifierParse, TrackingNames.ClassifierValidate);

            foreach (string stack in new[] { KnownNames.EncoderAttribute, KnownNames.DecoderAttribute })
            {
                var placements = context.SyntaxProvider
                    .ForAttributeWithMetadataName(stack, static (node, _) => node is TypeDeclarationSyntax, PlacementParser.ParseStack)
                    .Where(static p => p is not null)
                    .Select(static (p, ct) => PlacementValidator.Validate(p!, ct))
                    .WithTrackingName(TrackingNames.StackPlacement);
                ReportDiagnostics(context, placements, trees);
            }

            foreach (string mixer in KnownNames.MixerAttributes)
            {
                var placements = context.SyntaxProvider
                    .ForAttributeWithMetadataName(mixer, static (node, _) => node is TypeDeclarationSyntax, PlacementParser.ParseMixer)
                    .Where(static p => p is not null)
                    .Select(static (p, ct) => PlacementValidator.Validate(p!, ct))
                    .WithTrackingName(TrackingNames.MixerPlacement);
                ReportDiagnostics(context, placements, trees);
            }

            var trainingExecutable = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.TrainingExecutableAttribute,
                    static (node, _) => node is CompilationUnitSyntax,
                    TrainingExecutableParser.Parse)
                .Where(static p => p is not null)
                .WithTrackingName(TrackingNames.TrainingExecutableParse)
                .Select(static (p, ct) => TrainingExecutableValidator.Validate(p!, ct))
                .WithTrackingName(TrackingNames.TrainingExecutableValidate);
            ReportDiagnostics(context, trainingExecutable, trees);
        }

        private static void RegisterModels(
            IncrementalGeneratorInitializationContext context,
            IncrementalValueProvider<SourceTrees> trees,
            string attribute,
            ModelKind kind,
            string parseStep,
            string validateStep)
        {
            IncrementalValuesProvider<ValidatedModel> models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attribute,
                    static (node, _) => node is TypeDeclarationSyntax,
                    (syntax, ct) => ModelParser.Parse(syntax, kind, ct))
                .Where(static m => m is not null)
                .WithTrackingName(parseStep)
                .Select(static (m, ct) => ModelValidator.Validate(m!, ct))
                .WithTrackingName(validateStep);

            ReportDiagnostics(context, models.Select(static (m, _) => m.Diagnostics), trees);

            // The emit stage will consume models.Where(m => m.IsValid) once the Runtime's
            // mixer contract exists; until then the generator only reports diagnostics.
        }

        private static void ReportDiagnostics(
            IncrementalGeneratorInitializationContext context,
            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics,
            IncrementalValueProvider<SourceTrees> trees)
        {
            // Combining with the trees re-runs only this step on edits; for a declaration with nothing
            // to report it is an empty loop. (No Where filter before it: the step tracking that the
            // caching tests rely on follows each output back through its inputs.)
            context.RegisterSourceOutput(
                diagnostics.Combine(trees),
                static (production, pair) =>
                {
                    foreach (DiagnosticInfo diagnostic in pair.Left)
                    {
                        production.ReportDiagnostic(diagnostic.ToDiagnostic(pair.Right.Find(diagnostic.Location.FilePath)));
                    }
                });
        }
    }
}
