using System.Collections.Generic;
using System.IO;
using System.Linq;
using Composer.Generator.Tests.Infrastructure;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>Every committed verified file is produced by some test, so a renamed or removed case
    /// cannot leave a stale snapshot behind.</summary>
    public sealed class SnapshotFileTests
    {
        [Fact]
        public void NoVerifiedFileIsOrphaned()
        {
            var produced = new HashSet<string>();
            foreach (DiagnosticExample example in DiagnosticExample.All)
            {
                produced.Add(Snapshot.DiagnosticsFile(Snapshot.Name(nameof(DiagnosticTests), nameof(DiagnosticTests.Reports), example.Id)));
            }

            foreach (string sample in SampleTests.SampleNames())
            {
                if (SampleTests.RunSample(sample).Diagnostics.Count > 0)
                {
                    produced.Add(Snapshot.DiagnosticsFile(Snapshot.Name(nameof(SampleTests), nameof(SampleTests.Clean), sample)));
                }
            }

            foreach (string name in EdgeCaseTests.Cases.Keys)
            {
                if (EdgeCaseTests.RunCase(name).Diagnostics.Count > 0)
                {
                    produced.Add(Snapshot.DiagnosticsFile(Snapshot.Name(nameof(EdgeCaseTests), nameof(EdgeCaseTests.Reports), name)));
                }
            }

            foreach (string name in CorrectedDeclarationTests.Cases.Keys)
            {
                produced.Add(Snapshot.DiagnosticsFile(Snapshot.Name(nameof(CorrectedDeclarationTests), nameof(CorrectedDeclarationTests.Reports), name)));
            }

            foreach (string name in GeneratedSourceTests.CaseNames())
            {
                foreach (var (file, _) in GeneratedSourceTests.Snapshots(name, GeneratedSourceTests.RunCase(name)))
                {
                    produced.Add(file);
                }
            }

            var committed = Directory.GetFiles(Repository.Snapshots, "*.verified.*").Select(Path.GetFileName).ToList();
            var orphans = committed.Where(f => !produced.Contains(f!)).ToList();
            Assert.True(orphans.Count == 0, "Verified files no test produces (delete them): " + string.Join(", ", orphans));

            var missing = produced.Where(f => !committed.Contains(f)).ToList();
            Assert.True(missing.Count == 0, "Snapshots not yet accepted: " + string.Join(", ", missing));
        }
    }
}
