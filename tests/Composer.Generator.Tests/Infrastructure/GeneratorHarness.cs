using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Composer.Generator.Tests.Infrastructure
{
    /// <summary>Compiles test sources against the framework, Composer.Declarations and (unless told
    /// otherwise) Composer.Runtime, and runs the generator over them.</summary>
    internal static class GeneratorHarness
    {
        public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Preview);

        private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new Lazy<ImmutableArray<MetadataReference>>(() =>
        {
            string platform = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
            return platform.Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "System.dll" or "netstandard.dll" or "mscorlib.dll"))
                .Append(typeof(LanguageModelAttribute).Assembly.Location)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToImmutableArray();
        });

        private static readonly Lazy<ImmutableArray<MetadataReference>> WithRuntime = new Lazy<ImmutableArray<MetadataReference>>(() =>
            Framework.Value.AddRange(new[]
            {
                MetadataReference.CreateFromFile(typeof(Composer.Layers.ModuleContext).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
            }));

        /// <summary>
        /// A stand-in for a Composer.Runtime older than the generator: it has the module context and the
        /// softmax attention mixers but none of the newer cross mixers (such as LinearCrossAttention).
        /// </summary>
        private static readonly Lazy<ImmutableArray<MetadataReference>> WithOlderRuntime = new Lazy<ImmutableArray<MetadataReference>>(() =>
        {
            const string older = @"
                namespace Composer.Layers { public sealed class ModuleContext { } }
                namespace Composer.Mixers
                {
                    public sealed class SelfAttention { }
                    public sealed class CrossAttention { }
                }";
            var runtime = CSharpCompilation.Create(
                "Composer.Runtime",
                new[] { CSharpSyntaxTree.ParseText(older, ParseOptions) },
                Framework.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            // An older Composer.Runtime still stood on TorchSharp.
            return Framework.Value.AddRange(new MetadataReference[] { runtime.ToMetadataReference(), MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location) });
        });

        /// <summary>Compiles against <see cref="WithOlderRuntime"/>.</summary>
        public static CSharpCompilation CompileAgainstOlderRuntime(OutputKind output, params (string Path, string Text)[] sources) =>
            CSharpCompilation.Create(
                "Tests",
                sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path)),
                WithOlderRuntime.Value,
                new CSharpCompilationOptions(output, nullableContextOptions: NullableContextOptions.Enable));

        public static CSharpCompilation Compile(params (string Path, string Text)[] sources) =>
            Compile(OutputKind.DynamicallyLinkedLibrary, sources);

        public static CSharpCompilation Compile(OutputKind output, params (string Path, string Text)[] sources) =>
            Compile(output, runtime: true, sources);

        /// <summary>Compiles with or without Composer.Runtime (without it the generator only checks).</summary>
        public static CSharpCompilation Compile(OutputKind output, bool runtime, params (string Path, string Text)[] sources) =>
            CSharpCompilation.Create(
                "Tests",
                sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path)),
                runtime ? WithRuntime.Value : Framework.Value,
                new CSharpCompilationOptions(output, nullableContextOptions: NullableContextOptions.Enable));

        public static SyntaxTree Parse(string path, string text) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

        public static GeneratorDriver CreateDriver(bool trackSteps = true) => CreateDriver(new ModelGenerator(), trackSteps);

        public static GeneratorDriver CreateDriver(ModelGenerator generator, bool trackSteps = true) =>
            CSharpGeneratorDriver.Create(
                new[] { generator.AsSourceGenerator() },
                parseOptions: ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

        /// <summary>Runs the generator once and returns its result plus the compiler's own errors for the
        /// resulting compilation.</summary>
        public static Run RunGenerator(Compilation compilation)
        {
            GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();
            var compilerErrors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
            return new Run(result, compilerErrors, output);
        }

        /// <summary>Runs the generator once without compiling the result (for bulk runs).</summary>
        public static GeneratorRunResult RunGeneratorOnly(Compilation compilation) =>
            CreateDriver(trackSteps: false).RunGenerators(compilation).GetRunResult().Results.Single();

        public static Run RunGenerator(params (string Path, string Text)[] sources) => RunGenerator(Compile(sources));

        internal sealed record Run(GeneratorRunResult Result, ImmutableArray<Diagnostic> CompilerErrors, Compilation Output)
        {
            /// <summary>The generator's diagnostics in a stable order (file, position, id).</summary>
            public IReadOnlyList<Diagnostic> Diagnostics => Result.Diagnostics
                .OrderBy(d => d.Location.SourceTree?.FilePath ?? d.Location.GetLineSpan().Path, StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .ThenBy(d => d.Id, StringComparer.Ordinal)
                .ToList();
        }
    }
}
