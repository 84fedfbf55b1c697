using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Composer.Bench;
using Composer.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// One compilation with 200 declared models, each in its own file, the way a large lab project would
// hold them. Measures, in milliseconds:
//   cold  — a fresh generator driver over the compilation (after the generator's code is JIT-compiled
//           on an unrelated compilation, so the number is the generator's work, not the JIT's);
//   warm  — the same driver run again over the same compilation (median of the re-runs);
//   edit  — one model's kernel changed, the warm driver run over the edited compilation (median of
//           ≥ 20 edits, each to a different model). Target: edit < 20 ms.
// It also prints what binding every declaration's attributes costs in an edited compilation: what a
// generator reading declarations through symbols (ForAttributeWithMetadataName) pays on every edit,
// and what Composer's syntactic reading avoids (docs/generator.md, "Incrementality").
// --profile prints each tracked step's time on the last edit.
const int Models = 200;
const int Edits = 40;
const int WarmRuns = 20;

var parse = new CSharpParseOptions(LanguageVersion.Latest);
string platform = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
var references = platform.Split(Path.PathSeparator)
    .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n is "netstandard.dll" or "mscorlib.dll"))
    .Append(typeof(Composer.LanguageModelAttribute).Assembly.Location)
    .Append(typeof(Composer.Layers.ModuleContext).Assembly.Location)
    .Append(typeof(TorchSharp.torch).Assembly.Location)
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
    .ToList();

CSharpCompilation Compile(IEnumerable<SyntaxTree> trees) => CSharpCompilation.Create(
    "Lab", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

bool profile = args.Contains("--profile");
GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(
    new[] { new ModelGenerator().AsSourceGenerator() }, parseOptions: parse,
    driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: profile));

SyntaxTree Tree(int i, int kernel) => CSharpSyntaxTree.ParseText(Declaration(i, kernel), parse, $"Model{i:D3}.cs");

var trees = Enumerable.Range(0, Models).Select(i => Tree(i, 3)).ToArray();
var compilation = Compile(trees);
var clock = Stopwatch.StartNew();
double Milliseconds(Action action)
{
    clock.Restart();
    action();
    return clock.Elapsed.TotalMilliseconds;
}

// JIT the generator on a different, smaller compilation first.
double firstEver = Milliseconds(() => NewDriver().RunGenerators(Compile(Enumerable.Range(1000, 20).Select(i => Tree(i, 5)))));
GC.Collect();

GeneratorDriver driver = NewDriver();
double cold = Milliseconds(() => driver = driver.RunGenerators(compilation));
int generated = driver.GetRunResult().GeneratedTrees.Length;
int diagnostics = driver.GetRunResult().Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
if (generated != Models || diagnostics != 0)
{
    Console.Error.WriteLine($"error: expected {Models} generated models and no errors, got {generated} and {diagnostics}");
    return 1;
}

var warm = new List<double>();
for (int run = 0; run < WarmRuns; run++)
{
    warm.Add(Milliseconds(() => driver = driver.RunGenerators(compilation)));
}
if (profile)
{
    Console.WriteLine("warm run, per tracked step:");
    PrintSteps(driver.GetRunResult().Results.Single());
}

var edits = new List<double>();

var current = compilation;
for (int edit = 0; edit < Edits; edit++)
{
    int model = (edit * 37) % Models;                 // a different model each time, spread over the files
    int kernel = 5 + 2 * (edit % 5);                  // a real change every time
    SyntaxTree old = current.SyntaxTrees.First(t => t.FilePath == $"Model{model:D3}.cs");
    current = current.ReplaceSyntaxTree(old, Tree(model, kernel));
    edits.Add(Milliseconds(() => driver = driver.RunGenerators(current)));
    if (profile && edit == Edits - 1)
    {
        Console.WriteLine("last edit, per tracked step:");
        PrintSteps(driver.GetRunResult().Results.Single());
    }
    if (driver.GetRunResult().GeneratedTrees.Length != Models)
    {
        Console.Error.WriteLine("error: an edit lost generated models");
        return 1;
    }
}

// What a symbol-based reading would pay: binding every declaration's attributes in the edited
// compilation (Roslyn rebuilds the symbols of unchanged files too, and ForAttributeWithMetadataName
// re-runs its transforms for them), measured without a generator.
var floor = new List<double>();
{
    for (int i = 0; i < 10; i++)
    {
        SyntaxTree old = current.SyntaxTrees.First(t => t.FilePath == "Model001.cs");
        current = current.ReplaceSyntaxTree(old, Tree(1, 7 + 2 * i));
        var c = current;
        floor.Add(Milliseconds(() =>
        {
            foreach (var tree in c.SyntaxTrees)
            {
                var model = c.GetSemanticModel(tree);
                foreach (var type in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>())
                {
                    model.GetDeclaredSymbol(type)!.GetAttributes();
                }
            }
        }));
    }
}


static void PrintSteps(GeneratorRunResult result)
{
    foreach (var (name, steps) in result.TrackedSteps.Concat(result.TrackedOutputSteps))
    {
        var reasons = steps.SelectMany(s => s.Outputs).GroupBy(o => o.Reason).Select(g => g.Key + "=" + g.Count());
        Console.WriteLine($"  {name,-28} {steps.Sum(s => s.ElapsedTime.TotalMilliseconds),8:0.00} ms  {string.Join(" ", reasons)}");
    }
}

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

Console.WriteLine($"Composer generator over one compilation of {Models} models ({generated} generated sources)");
var table = new Table("measurement", "ms", "runs");
table.Add("first run ever (JIT included, 20 models)", F(firstEver), "1");
table.Add("cold: fresh driver, 200 models", F(cold), "1");
table.Add("warm: same compilation again", F(Median(warm)), WarmRuns.ToString(CultureInfo.InvariantCulture));
table.Add("edit: one model's kernel changed", F(Median(edits)), Edits.ToString(CultureInfo.InvariantCulture));
table.Add("edit: slowest", F(edits.Max()), Edits.ToString(CultureInfo.InvariantCulture));
table.Add("for comparison: binding every declaration's attributes after an edit", F(Median(floor)), floor.Count.ToString(CultureInfo.InvariantCulture));
table.Print();
Console.WriteLine($"RESULT cold_ms {F(cold)}");
Console.WriteLine($"RESULT warm_ms {F(Median(warm))}");
Console.WriteLine($"RESULT edit_ms {F(Median(edits))}");
return 0;

// A varied declaration: every fourth model a Seq2Seq, every fifth a classifier, the rest language
// models mixing convolutions (whose first kernel the edits change) with attention.
static string Declaration(int i, int kernel)
{
    string k = kernel.ToString(CultureInfo.InvariantCulture);
    return (i % 5, i % 4) switch
    {
        (0, _) => $$"""
            using Composer;
            namespace Lab.Models;
            [Classifier(Vocabulary = 1000, Classes = 4, Width = 64, Depth = 4, MaxLength = 128, Positions = PositionalEncoding.Learned)]
            [DynamicConvolution(Layers = "0..2", Heads = 4, Kernels = new[] { {{k}}, 7 })]
            [SelfAttention(Layers = "2..", Heads = 4)]
            public partial class Model{{i:D3}};
            """,
        (_, 0) => $$"""
            using Composer;
            namespace Lab.Models;
            [Seq2Seq(SourceVocabulary = 1000, TargetVocabulary = 1000, Width = 64, Norm = NormPlacement.Post)]
            public partial class Model{{i:D3}}
            {
                [Encoder(Depth = 3)]
                [LightweightConvolution(Heads = 4, Kernels = new[] { {{k}}, 7, 15 })]
                public partial class Encoder;

                [Decoder(Depth = 2)]
                [DynamicConvolution(Heads = 4, Kernels = new[] { {{k}}, 7 })]
                [SelfAttention(Cross = true, Heads = 4)]
                public partial class Decoder;
            }
            """,
        _ => $$"""
            using Composer;
            namespace Lab.Models;
            [LanguageModel(Vocabulary = 1000, Width = 64, Depth = 6, MaxLength = 256)]
            [LightweightConvolution(Layers = "0..4", Heads = 4, Kernels = new[] { {{k}}, 7, 15, 31 })]
            [SelfAttention(Layers = "4", Heads = 4)]
            [LinearAttention(Layers = "^1", Heads = 4)]
            public partial class Model{{i:D3}};
            """,
    };
}
