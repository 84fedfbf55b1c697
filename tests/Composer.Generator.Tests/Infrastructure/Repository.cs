using System;
using System.IO;

namespace Composer.Generator.Tests.Infrastructure
{
    /// <summary>Paths in the source repository, found from the test's own source file.</summary>
    internal static class Repository
    {
        public static string Root { get; } = FindRoot();

        public static string TestProject => Path.Combine(Root, "tests", "Composer.Generator.Tests");

        public static string Snapshots => Path.Combine(TestProject, "Snapshots");

        public static string SampleDeclarations => Path.Combine(Root, "sample-models", "Declarations");

        public static string DiagnosticsDoc => Path.Combine(Root, "docs", "diagnostics.md");

        private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "")
        {
            for (string? dir = Path.GetDirectoryName(path); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "Composer.sln")))
                {
                    return dir;
                }
            }

            throw new InvalidOperationException("Cannot find the repository root (Composer.sln) above " + path);
        }
    }
}
