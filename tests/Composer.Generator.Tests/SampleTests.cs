using System.IO;
using System.Linq;
using Composer.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// The sample architectures in sample-models/Declarations compile and draw no warning or error
    /// from the generator. Information they draw (a convolution stack's receptive field) is pinned in
    /// a snapshot.
    /// </summary>
    public sealed class SampleTests
    {
        public static TheoryData<string> Samples() => new TheoryData<string>(SampleNames());

        internal static string[] SampleNames() =>
            Directory.GetFiles(Repository.SampleDeclarations, "*.cs")
                .Select(Path.GetFileNameWithoutExtension)
                .OrderBy(n => n, System.StringComparer.Ordinal)
                .ToArray()!;

        internal static GeneratorHarness.Run RunSample(string name)
        {
            string path = Path.Combine(Repository.SampleDeclarations, name + ".cs");
            return GeneratorHarness.RunGenerator((name + ".cs", File.ReadAllText(path)));
        }

        [Theory]
        [MemberData(nameof(Samples))]
        public void Clean(string name)
        {
            var run = RunSample(name);

            Assert.Null(run.Result.Exception);
            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));
            var problems = run.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.True(problems.Count == 0, DiagnosticRenderer.Summary(problems));
            if (run.Diagnostics.Count > 0)
            {
                Snapshot.VerifyDiagnostics(Snapshot.Name(nameof(SampleTests), nameof(Clean), name), DiagnosticRenderer.Render(run.Diagnostics));
            }
        }

        [Fact]
        public void AllSamplesCompileTogether()
        {
            var sources = SampleNames()
                .Select(n => (n + ".cs", File.ReadAllText(Path.Combine(Repository.SampleDeclarations, n + ".cs"))))
                .ToArray();
            var run = GeneratorHarness.RunGenerator(sources);

            Assert.Null(run.Result.Exception);
            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));
            Assert.DoesNotContain(run.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        }

        [Fact]
        public void TheIssueSamplesAreAllDeclared()
        {
            string[] expected =
            {
                "AttentionClassifier", "ConvTranslator", "DynamicConvLm", "HybridLm",
                "LightConvLm", "LinearTransformerLm", "TransformerLm",
            };
            Assert.Equal(expected, SampleNames());
        }
    }
}
