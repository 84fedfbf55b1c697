using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Composer.Generator.Specs;
using Composer.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// The pipeline caches: a second run over the same input recomputes nothing, and an edit
    /// re-parses only the model it touches. Steps are found by the generator's own tracking names.
    /// </summary>
    public sealed class IncrementalTests
    {
        private const string First = """
            using Composer;

            // The first model.
            [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
            [LightweightConvolution(Kernels = new[] { 3, 7 })]
            public partial class FirstLm;
            """;

        private const string Second = """
            using Composer;

            [LanguageModel(Vocabulary = 256, Width = 64, Depth = 2)]
            [DynamicConvolution(Kernels = new[] { 3, 7 })]
            public partial class SecondLm;
            """;

        private static readonly IncrementalStepRunReason[] Reused =
        {
            IncrementalStepRunReason.Cached,
            IncrementalStepRunReason.Unchanged,
        };

        /// <summary>Types that must never be held by a pipeline value: they pin compilations in memory
        /// and defeat equality. Checked by assignability, so subclasses are caught too.</summary>
        private static readonly Type[] Banned =
        {
            typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Compilation),
            typeof(SemanticModel), typeof(Location),
        };

        private static string[] OwnStepNames() => typeof(TrackingNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

        [Fact]
        public void RunningTwiceReusesEveryStep()
        {
            CSharpCompilation compilation = EverythingCompilation();
            GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
            GeneratorRunResult first = driver.GetRunResult().Results.Single();
            driver = driver.RunGenerators(compilation.Clone());
            GeneratorRunResult second = driver.GetRunResult().Results.Single();

            string[] names = OwnStepNames();
            Assert.All(names, name => Assert.True(second.TrackedSteps.ContainsKey(name), "step never ran: " + name));
            foreach (string name in names)
            {
                foreach (var (value, reason) in second.TrackedSteps[name].SelectMany(s => s.Outputs))
                {
                    Assert.True(Reused.Contains(reason), $"{name} output {value} was {reason} on an identical second run");
                }
            }

            foreach (string name in names.Where(n => n != TrackingNames.SourceTrees))
            {
                foreach (var (value, _) in first.TrackedSteps[name].SelectMany(s => s.Outputs))
                {
                    AssertHoldsNoBannedType(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);
                }
            }
        }

        [Fact]
        public void AddingAnUnrelatedFileReusesEveryModel()
        {
            var (driver, compilation) = RunTwoModels(First, Second);
            compilation = compilation.AddSyntaxTrees(GeneratorHarness.Parse("Unrelated.cs", "public sealed class Unrelated { }"));
            GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

            foreach (string step in new[] { TrackingNames.LanguageModelParse, TrackingNames.LanguageModelValidate })
            {
                Assert.All(Outputs(result, step), o => Assert.Contains(o.Reason, Reused));
            }
        }

        [Fact]
        public void EditingACommentReparsesThatModelButKeepsItsValidatedSpec()
        {
            var (driver, compilation) = RunTwoModels(First, Second);
            compilation = Replace(compilation, "First.cs", First.Replace("// The first model.", "// The first model, now with a longer comment.", StringComparison.Ordinal));
            GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

            var parse = Outputs(result, TrackingNames.LanguageModelParse);
            Assert.Equal(IncrementalStepRunReason.Modified, parse.Single(o => o.Model == "FirstLm").Reason);
            Assert.Contains(parse.Single(o => o.Model == "SecondLm").Reason, Reused);

            // What emission will consume is unchanged for both models.
            Assert.All(Outputs(result, TrackingNames.LanguageModelValidate), o => Assert.Contains(o.Reason, Reused));
        }

        [Fact]
        public void ChangingAKernelInOneFileModifiesOnlyThatModel()
        {
            var (driver, compilation) = RunTwoModels(First, Second);
            compilation = Replace(compilation, "First.cs", First.Replace("{ 3, 7 }", "{ 3, 9 }", StringComparison.Ordinal));
            GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

            foreach (string step in new[] { TrackingNames.LanguageModelParse, TrackingNames.LanguageModelValidate })
            {
                var outputs = Outputs(result, step);
                Assert.Equal(IncrementalStepRunReason.Modified, outputs.Single(o => o.Model == "FirstLm").Reason);
                Assert.Contains(outputs.Single(o => o.Model == "SecondLm").Reason, Reused);
            }
        }

        [Fact]
        public void EditingACommentKeepsEveryGeneratedSourceCached()
        {
            var (driver, compilation) = RunTwoModels(First, Second);
            compilation = Replace(compilation, "First.cs", First.Replace("// The first model.", "// The first model, now with a longer comment.", StringComparison.Ordinal));
            GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

            var sources = SourceOutputs(result);
            Assert.Equal(new[] { "FirstLm", "SecondLm" }, sources.Select(o => o.Model).OrderBy(m => m, StringComparer.Ordinal));
            Assert.All(sources, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }

        [Fact]
        public void ChangingAKernelRegeneratesOnlyThatModelsSource()
        {
            var (driver, compilation) = RunTwoModels(First, Second);
            compilation = Replace(compilation, "First.cs", First.Replace("{ 3, 7 }", "{ 3, 9 }", StringComparison.Ordinal));
            driver = driver.RunGenerators(compilation);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();

            var sources = SourceOutputs(result);
            Assert.Equal(IncrementalStepRunReason.Modified, sources.Single(o => o.Model == "FirstLm").Reason);
            Assert.Equal(IncrementalStepRunReason.Cached, sources.Single(o => o.Model == "SecondLm").Reason);
            Assert.Contains("Kernel: 9", result.GeneratedSources.Single(s => s.HintName == "FirstLm.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void ChangingAKernelInASharedFileModifiesOnlyThatModel()
        {
            string both = First + "\n\n" + Second.Replace("using Composer;", string.Empty, StringComparison.Ordinal);
            CSharpCompilation compilation = GeneratorHarness.Compile(("Models.cs", both));
            GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
            compilation = Replace(compilation, "Models.cs", both.Replace("{ 3, 7 })]\npublic partial class FirstLm", "{ 3, 17 })]\npublic partial class FirstLm", StringComparison.Ordinal));
            GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

            var validate = Outputs(result, TrackingNames.LanguageModelValidate);
            Assert.Equal(IncrementalStepRunReason.Modified, validate.Single(o => o.Model == "FirstLm").Reason);
            Assert.Contains(validate.Single(o => o.Model == "SecondLm").Reason, Reused);
        }

        private static (GeneratorDriver Driver, CSharpCompilation Compilation) RunTwoModels(string first, string second)
        {
            CSharpCompilation compilation = GeneratorHarness.Compile(("First.cs", first), ("Second.cs", second));
            GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
            return (driver, compilation);
        }

        private static CSharpCompilation Replace(CSharpCompilation compilation, string path, string text)
        {
            SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
            return compilation.ReplaceSyntaxTree(old, GeneratorHarness.Parse(path, text));
        }

        private static List<(string Model, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step) =>
            result.TrackedSteps[step]
                .SelectMany(s => s.Outputs)
                .Select(o => (o.Value switch
                {
                    ParsedModel p => p.Spec.Class.Name,
                    ValidatedModel v => v.Spec.Class.Name,
                    ModelSpec m => m.Class.Name,
                    _ => "?",
                }, o.Reason))
                .ToList();

        /// <summary>The source-output steps fed by the model emit steps, by model, with their run reason.</summary>
        private static List<(string Model, IncrementalStepRunReason Reason)> SourceOutputs(GeneratorRunResult result) =>
            result.TrackedOutputSteps["SourceOutput"]
                .Where(s => s.Inputs.Length == 1 && s.Inputs[0].Source.Name is TrackingNames.LanguageModelEmit or TrackingNames.Seq2SeqEmit or TrackingNames.ClassifierEmit)
                .Select(s => (((ModelSpec)s.Inputs[0].Source.Outputs[s.Inputs[0].OutputIndex].Value).Class.Name, s.Outputs.Single().Reason))
                .ToList();

        /// <summary>All samples, a Seq2Seq with misplaced attributes and a training-executable marker,
        /// so that every tracked step has outputs.</summary>
        private static CSharpCompilation EverythingCompilation()
        {
            var sources = SampleTests.SampleNames()
                .Select(n => (n + ".cs", File.ReadAllText(Path.Combine(Repository.SampleDeclarations, n + ".cs"))))
                .Append(("Marker.cs", "[assembly: Composer.TrainingExecutable(typeof(Composer.Samples.HybridLm))]"))
                .Append(("Misplaced.cs", "using Composer;\n[Encoder(Depth = 2)]\n[SelfAttention(Heads = 3)]\npublic partial class Stray;\n[Classifier(Vocabulary = 4, Classes = 1, Width = 10, Depth = 2)]\n[LightweightConvolution(Kernels = new[] { 2, 0 })]\npublic partial class Broken;"))
                // A model in two parts and a constant option: read through the compiler, not the syntax.
                .Append(("SplitA.cs", "using Composer;\n[LanguageModel(Vocabulary = 256, Width = Sizes.Width, Depth = 2)]\npublic partial class Split;\npublic static class Sizes { public const int Width = 64; }"))
                .Append(("SplitB.cs", "using Composer;\n[SelfAttention(Heads = 4)]\npublic partial class Split;"))
                .ToArray();
            return GeneratorHarness.Compile(sources);
        }

        private static void AssertHoldsNoBannedType(object? value, string path, HashSet<object> seen, int depth)
        {
            if (value is null || value is string || depth > 32)
            {
                return;
            }

            Type type = value.GetType();
            if (type.IsPrimitive || type.IsEnum || value is DiagnosticDescriptor)
            {
                return;
            }

            Type? banned = Banned.FirstOrDefault(b => b.IsAssignableFrom(type));
            Assert.True(banned is null, $"{path} holds a {type.Name}, which is a {banned?.Name}");
            if (!type.IsValueType && !seen.Add(value))
            {
                return;
            }

            if (value is IEnumerable items)
            {
                int i = 0;
                foreach (object? item in items)
                {
                    AssertHoldsNoBannedType(item, $"{path}[{i++}]", seen, depth + 1);
                }

                return;
            }

            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                AssertHoldsNoBannedType(property.GetValue(value), path + "." + property.Name, seen, depth + 1);
            }

            foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                AssertHoldsNoBannedType(field.GetValue(value), path + "." + field.Name, seen, depth + 1);
            }
        }
    }
}
