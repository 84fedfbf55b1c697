using System.IO;
using System.Linq;
using Composer.Generator.Diagnostics;
using Composer.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// Every diagnostic id, driven by the examples in docs/diagnostics.md: the bad declaration reports
    /// exactly that id, at the documented place, and nothing else; the fixed one is clean.
    /// </summary>
    public sealed class DiagnosticTests
    {
        public static TheoryData<string> Ids() => new TheoryData<string>(DiagnosticExample.All.Select(e => e.Id));

        [Theory]
        [MemberData(nameof(Ids))]
        public void Reports(string id)
        {
            DiagnosticExample example = DiagnosticExample.Get(id);
            var run = GeneratorHarness.RunGenerator(example.Compile(example.BadSource));

            Assert.Null(run.Result.Exception);
            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));
            Diagnostic diagnostic = Assert.Single(run.Diagnostics);
            Assert.Equal(id, diagnostic.Id);
            Assert.Equal(DiagnosticExample.FileName, diagnostic.Location.SourceTree?.FilePath);
            Assert.Equal(example.ExpectedSpan(), diagnostic.Location.SourceSpan);
            Snapshot.VerifyDiagnostics(Snapshot.Name(nameof(DiagnosticTests), nameof(Reports), id), DiagnosticRenderer.Render(run.Diagnostics));
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void FixIsClean(string id)
        {
            DiagnosticExample example = DiagnosticExample.Get(id);
            var run = GeneratorHarness.RunGenerator(example.Compile(example.FixedSource));

            Assert.Null(run.Result.Exception);
            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));
            Assert.True(run.Diagnostics.Count == 0, DiagnosticRenderer.Summary(run.Diagnostics));
        }

        [Fact]
        public void EveryDescriptorIsDocumentedTrackedAndNumberedInOrder()
        {
            var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToList();
            // Ascending from CMP0001 without repeats. Ranges are handed out to work done in parallel, so
            // one branch may skip the ids another fills (CMP0044–CMP0049 here): a gap, never a reuse.
            Assert.Equal("CMP0001", ids[0]);
            for (int i = 1; i < ids.Count; i++)
            {
                Assert.True(string.CompareOrdinal(ids[i - 1], ids[i]) < 0, $"{ids[i]} follows {ids[i - 1]}: descriptors go in ascending id order, each id once");
            }


            Assert.Equal(ids, DiagnosticExample.All.Select(e => e.Id));

            string releases = File.ReadAllText(Path.Combine(Repository.Root, "Generator", "AnalyzerReleases.Unshipped.md"));
            foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.All)
            {
                Assert.EndsWith("docs/diagnostics.md#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
                Assert.Contains($"{descriptor.Id} | Composer | {descriptor.DefaultSeverity} |", releases);
                Assert.Equal("Composer", descriptor.Category);
            }
        }

        [Fact]
        public void DescriptorFieldNamesEndInTheirSeverity()
        {
            foreach (var field in typeof(DiagnosticDescriptors).GetFields().Where(f => f.FieldType == typeof(DiagnosticDescriptor)))
            {
                var descriptor = (DiagnosticDescriptor)field.GetValue(null)!;
                Assert.EndsWith(descriptor.DefaultSeverity.ToString(), field.Name);
            }
        }
    }
}
