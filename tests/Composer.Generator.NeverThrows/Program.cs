using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Composer.Generator;
using Composer.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// Runs N seeded random declarations (default 10,000; the first argument overrides) through Composer's
// generator, compiled against the real Runtime, and counts the runs whose GeneratorRunResult.Exception
// is not null. Prints one line per thrown case (seed and exception) and, last, the totals. Exit code 0
// when nothing threw. Same seeds as the test suite's NeverThrowsTests, which runs the first 500.
// It also compiles the generated code of every input that compiles cleanly on its own: errors there
// would be the generator's (reported, and counted in the exit code too). It says how many of those
// inputs have what the generator is most likely to get wrong: keyword, contextual-keyword or Unicode
// names, models inside structs, records or interfaces, a user mixer with needs, a wide Width.
const int Seed = 20261121;
int cases = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;

var parse = new CSharpParseOptions(LanguageVersion.Preview);
string platform = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
var references = platform.Split(Path.PathSeparator)
    .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n is "netstandard.dll" or "mscorlib.dll"))
    .Append(typeof(Composer.LanguageModelAttribute).Assembly.Location)
    .Append(typeof(Composer.Layers.ModuleContext).Assembly.Location)
    .Append(typeof(TorchSharp.torch).Assembly.Location)
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
    .ToList();

int exceptions = 0, diagnostics = 0, generated = 0, checkedOutputs = 0, brokenOutputs = 0;
int names = 0, containers = 0, needs = 0, wide = 0;
var clock = Stopwatch.StartNew();
for (int i = 0; i < cases; i++)
{
    string source = new RandomDeclarations(Seed + i).Next();
    var compilation = CSharpCompilation.Create(
        "Fuzz",
        new[] { CSharpSyntaxTree.ParseText(source, parse, "Fuzz.cs") },
        references,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new ModelGenerator().AsSourceGenerator() }, parseOptions: parse);
    driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
    GeneratorRunResult result = driver.GetRunResult().Results.Single();
    if (result.GeneratedSources.Length > 0 && !compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
    {
        checkedOutputs++;
        names += source.Contains('@') || source.Contains("\\u", StringComparison.Ordinal) || source.Any(c => c > 127) || source.Contains("class var", StringComparison.Ordinal) || source.Contains("class record", StringComparison.Ordinal) ? 1 : 0;
        containers += source.Contains("struct Holder", StringComparison.Ordinal) || source.Contains("record Holder", StringComparison.Ordinal) || source.Contains("interface Holder", StringComparison.Ordinal) ? 1 : 0;
        needs += source.Contains("[Mixer<NeedyMixer>", StringComparison.Ordinal) ? 1 : 0;
        wide += source.Contains("1 << 20", StringComparison.Ordinal) ? 1 : 0;
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            brokenOutputs++;
            Console.WriteLine($"case {i} (seed {Seed + i}): generated code does not compile: {errors[0]}");
        }
    }

    diagnostics += result.Diagnostics.Length;
    generated += result.GeneratedSources.Length;
    if (result.Exception is not null)
    {
        exceptions++;
        Console.WriteLine($"case {i} (seed {Seed + i}) threw {result.Exception.GetType().Name}: {result.Exception.Message}");
    }
}

Console.WriteLine($"{cases} random declarations in {clock.Elapsed.TotalSeconds:0} s: {diagnostics} diagnostics, {generated} generated sources");
Console.WriteLine($"generated code of {checkedOutputs} error-free inputs compiled; {brokenOutputs} with errors");
Console.WriteLine($"of those inputs: {names} with keyword or Unicode names, {containers} with a model in a struct, record or interface, {needs} with a user mixer that states needs, {wide} with Width 1 << 20");
Console.WriteLine($"RESULT exceptions {exceptions}");
return exceptions == 0 && brokenOutputs == 0 ? 0 : 1;
