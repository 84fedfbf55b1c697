using System.Collections.Immutable;
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
    /// <see cref="DeclarationScanner"/> and <see cref="SyntaxModelParser"/> (parse from syntax),
    /// <see cref="SemanticDeclarationParser"/> (parse through the compiler, for what the syntax cannot
    /// settle), <see cref="ModelValidator"/> (validate) and <see cref="ModelEmitter"/> /
    /// <see cref="EntryPointEmitter"/> (emit). Declarations are read from syntax so that an edit binds
    /// nothing it did not touch: re-binding every model's attributes in each new compilation cost more
    /// than all the rest of an edit (docs/generator.md, "Incrementality").
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ModelGenerator : IIncrementalGenerator
    {
        private readonly bool _readThroughCompiler;

        /// <summary>The generator as compilers load it.</summary>
        public ModelGenerator()
            : this(readThroughCompiler: false)
        {
        }

        /// <summary>
        /// With <paramref name="readThroughCompiler"/>, every declaration is read through the compiler:
        /// the reference the tests hold the syntactic reading to.
        /// </summary>
        internal ModelGenerator(bool readThroughCompiler)
        {
            _readThroughCompiler = readThroughCompiler;
        }

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

            // Every attributed type declaration, read from its syntax; the index holds the facts about
            // the whole compilation that decide whether a syntactic reading stands.
            //
            // Roslyn runs a syntax provider's transform again for every matching node of every file on
            // each run (its context carries a semantic model, which is new each time). So the transform
            // only hands the node on, and the reading happens in the next step: a node of an unchanged
            // file is the same object, compares equal, and its reading stays cached. These two steps
            // hold syntax nodes, which is why they are not tracked (the caching tests ban syntax in
            // tracked values); they only ever hold nodes of the current compilation's trees.
            IncrementalValuesProvider<ScannedDeclaration> scans = context.SyntaxProvider
                .CreateSyntaxProvider(DeclarationScanner.IsAttributedType, static (syntax, _) => (TypeDeclarationSyntax)syntax.Node)
                .Select(static (declaration, _) => DeclarationScanner.Scan(declaration))
                .WithTrackingName(TrackingNames.DeclarationScan);
            IncrementalValueProvider<DeclarationIndex> index = context.SyntaxProvider
                .CreateSyntaxProvider(DeclarationIndex.IsIndexed, static (syntax, _) => syntax.Node)
                .Select(static (node, _) => DeclarationIndex.Read(node))
                .Collect()
                .Select(DeclarationIndex.Build)
                .WithTrackingName(TrackingNames.DeclarationIndex);
            IncrementalValuesProvider<Resolution> resolved = scans
                .Combine(index)
                .Select((pair, _) => DeclarationScanner.Resolve(pair.Left, pair.Right, _readThroughCompiler))
                .Where(static r => r is not null)
                .Select(static (r, _) => r!)
                .WithTrackingName(TrackingNames.DeclarationResolve);

            // Most declarations keep their syntactic reading and are never bound. The rest are read
            // through the compiler on every compilation, since what they mean may depend on any file.
            IncrementalValuesProvider<DeclarationReading> fromSyntax = resolved
                .Where(static r => !r.Semantic)
                .Select(static (r, _) => DeclarationReading.Of(r.Declaration));
            IncrementalValuesProvider<DeclarationReading> fromCompiler = resolved
                .Where(static r => r.Semantic)
                .Combine(context.CompilationProvider)
                .Select(static (pair, ct) => SemanticDeclarationParser.Parse(pair.Left.Declaration, pair.Right, ct))
                .WithTrackingName(TrackingNames.DeclarationSemantic);

            var generatedModels = ImmutableArray.CreateBuilder<IncrementalValuesProvider<ModelSpec>>();
            foreach (IncrementalValuesProvider<DeclarationReading> readings in new[] { fromSyntax, fromCompiler })
            {
                generatedModels.Add(RegisterModels(context, readings, trees, runtime, ModelKind.LanguageModel, TrackingNames.LanguageModelParse, TrackingNames.LanguageModelValidate, TrackingNames.LanguageModelEmit));
                generatedModels.Add(RegisterModels(context, readings, trees, runtime, ModelKind.Seq2Seq, TrackingNames.Seq2SeqParse, TrackingNames.Seq2SeqValidate, TrackingNames.Seq2SeqEmit));
                generatedModels.Add(RegisterModels(context, readings, trees, runtime, ModelKind.Classifier, TrackingNames.ClassifierParse, TrackingNames.ClassifierValidate, TrackingNames.ClassifierEmit));

                // Stack and mixer attributes on classes where they have no effect (CMP0006, CMP0007).
                var placements = readings
                    .SelectMany(static (reading, _) => reading.Placements)
                    .Select(static (p, ct) => PlacementValidator.Validate(p, ct))
                    .WithTrackingName(TrackingNames.Placement);
                ReportDiagnostics(context, placements, trees);
            }

            // The names of the generated models: Main lists only those, so a model with errors does not
            // add a "no Entry" error of its own.
            IncrementalValueProvider<EquatableArray<string>> generated = generatedModels
                .Select(static models => models.Collect())
                .Aggregate(static (left, right) => left.Combine(right).Select(static (pair, _) => pair.Left.AddRange(pair.Right)))
                .Select(static (all, _) => all.Select(ModelEmitter.FullName).OrderBy(static n => n, System.StringComparer.Ordinal).ToEquatableArray())
                .WithTrackingName(TrackingNames.GeneratedModels);

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

        /// <summary>Validate → emit for the models of one kind in <paramref name="readings"/>; returns the specs that were generated.</summary>
        private static IncrementalValuesProvider<ModelSpec> RegisterModels(
            IncrementalGeneratorInitializationContext context,
            IncrementalValuesProvider<DeclarationReading> readings,
            IncrementalValueProvider<SourceTrees> trees,
            IncrementalValueProvider<RuntimeFacts> runtime,
            ModelKind kind,
            string parseStep,
            string validateStep,
            string emitStep)
        {
            IncrementalValuesProvider<ValidatedModel> models = readings
                .SelectMany((reading, _) => reading.Models.Where(m => m.Spec.Kind == kind))
                .WithTrackingName(parseStep)
                .Combine(runtime)
                .Select(static (pair, ct) => ModelValidator.Validate(pair.Left, pair.Right, ct))
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
