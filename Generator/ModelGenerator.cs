using System.Linq;
using System.Threading;
using Composer.Generator.Diagnostics;
using Composer.Generator.Emit;
using Composer.Generator.Parsing;
using Composer.Generator.Specs;
using Composer.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator
{
    /// <summary>
    /// Composer's incremental generator. This class only wires the pipeline; the stages live in
    /// <see cref="ModelParser"/> (parse), <see cref="ModelValidator"/> (validate) and
    /// <see cref="ModelEmitter"/> / <see cref="EntryPointEmitter"/> (emit). Each model kind gets its own <c>ForAttributeWithMetadataName</c> node, so an edit
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

            // Compilation-wide lookups happen once here; the value is equal across edits, so combining
            // with it re-runs nothing.
            IncrementalValueProvider<RuntimeFacts> runtime = context.CompilationProvider
                .Select(static (compilation, _) => RuntimeFactsReader.Read(compilation))
                .WithTrackingName(TrackingNames.RuntimeFacts);

            var languageModels = RegisterModels(context, trees, runtime, KnownNames.LanguageModelAttribute, ModelKind.LanguageModel, TrackingNames.LanguageModelParse, TrackingNames.LanguageModelValidate, TrackingNames.LanguageModelEmit);
            var seq2seqModels = RegisterModels(context, trees, runtime, KnownNames.Seq2SeqAttribute, ModelKind.Seq2Seq, TrackingNames.Seq2SeqParse, TrackingNames.Seq2SeqValidate, TrackingNames.Seq2SeqEmit);
            var classifiers = RegisterModels(context, trees, runtime, KnownNames.ClassifierAttribute, ModelKind.Classifier, TrackingNames.ClassifierParse, TrackingNames.ClassifierValidate, TrackingNames.ClassifierEmit);

            // The names of the generated models: Main lists only those, so a model with errors does not
            // add a "no Entry" error of its own.
            IncrementalValueProvider<EquatableArray<string>> generated = languageModels.Collect()
                .Combine(seq2seqModels.Collect())
                .Combine(classifiers.Collect())
                .Select(static (all, _) => all.Left.Left.AddRange(all.Left.Right).AddRange(all.Right).Select(ModelEmitter.FullName).ToEquatableArray())
                .WithTrackingName(TrackingNames.GeneratedModels);

            // Stack and mixer attributes on classes where they have no effect (CMP0006, CMP0007): one
            // syntactic filter, one pass per attributed class.
            var placements = context.SyntaxProvider
                .CreateSyntaxProvider(PlacementParser.MayCarryPlacements, PlacementParser.Parse)
                .SelectMany(static (placements, _) => placements)
                .Select(static (p, ct) => PlacementValidator.Validate(p, ct))
                .WithTrackingName(TrackingNames.Placement);
            ReportDiagnostics(context, placements, trees);

            var trainingExecutable = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.TrainingExecutableAttribute,
                    static (node, _) => node is CompilationUnitSyntax,
                    TrainingExecutableParser.Parse)
                .Where(static p => p is not null)
                .WithTrackingName(TrackingNames.TrainingExecutableParse);
            ReportDiagnostics(
                context,
                trainingExecutable
                    .Select(static (p, ct) => TrainingExecutableValidator.Validate(p!, ct))
                    .WithTrackingName(TrackingNames.TrainingExecutableValidate),
                trees);

            var entryPoint = trainingExecutable
                .Select(static (p, _) => p!.Spec)
                .Combine(generated)
                .Select(static (pair, _) => EntryPointEmitter.Emit(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.TrainingExecutableEmit);
            context.RegisterSourceOutput(entryPoint, static (production, source) =>
            {
                if (source is not null)
                {
                    production.AddSource(EntryPointEmitter.HintName, source);
                }
            });
        }

        /// <summary>Parse → validate → emit for one model kind; returns the specs that were generated.</summary>
        private static IncrementalValuesProvider<ModelSpec> RegisterModels(
            IncrementalGeneratorInitializationContext context,
            IncrementalValueProvider<SourceTrees> trees,
            IncrementalValueProvider<RuntimeFacts> runtime,
            string attribute,
            ModelKind kind,
            string parseStep,
            string validateStep,
            string emitStep)
        {
            IncrementalValuesProvider<ValidatedModel> models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attribute,
                    static (node, _) => node is TypeDeclarationSyntax,
                    (syntax, ct) => ModelParser.Parse(syntax, kind, ct))
                .Where(static m => m is not null)
                .WithTrackingName(parseStep)
                .Combine(runtime)
                .Select(static (pair, ct) => ModelValidator.Validate(pair.Left!, pair.Right, ct))
                .WithTrackingName(validateStep);

            ReportDiagnostics(context, models.Select(static (m, _) => m.Diagnostics), trees);

            // Emission sees the spec alone: no locations and no syntax trees, so an edit that only moves
            // the declaration (a comment, a blank line) leaves the generated source cached.
            IncrementalValuesProvider<ModelSpec> generated = models
                .Where(static m => m.Generate)
                .Select(static (m, _) => m.Spec)
                .WithTrackingName(emitStep);
            context.RegisterSourceOutput(generated, static (production, spec) =>
                production.AddSource(ModelEmitter.HintName(spec), ModelEmitter.Emit(spec)));
            return generated;
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
