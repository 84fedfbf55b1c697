using System;
using System.IO;
using System.Text;
using Xunit;

namespace Composer.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Snapshot files with Verify's conventions: the expected text is committed as
    /// <c>Snapshots/{Class}.{Method}[_{Case}].verified.txt</c> (diagnostics) or
    /// <c>…#{HintName}.verified.cs</c> (generated source); a mismatch writes <c>*.received.*</c> next to
    /// it (git-ignored) and fails. Setting <c>COMPOSER_ACCEPT_SNAPSHOTS=1</c> overwrites the verified file
    /// instead, except under <c>CI=true</c>, where accepting is refused so CI can never bless output.
    /// </summary>
    internal static class Snapshot
    {
        public const string AcceptVariable = "COMPOSER_ACCEPT_SNAPSHOTS";

        /// <summary>The file name stem: <c>{Class}.{Method}</c>, <c>_{Case}</c> for a case of a theory.</summary>
        public static string Name(string className, string method, string? caseName = null) =>
            caseName is null ? className + "." + method : className + "." + method + "_" + caseName;

        public static string DiagnosticsFile(string name) => name + ".verified.txt";

        public static string SourceFile(string name, string hintName) =>
            name + "#" + (hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName.Substring(0, hintName.Length - 3) : hintName) + ".verified.cs";

        public static void VerifyDiagnostics(string name, string actual) => Verify(DiagnosticsFile(name), actual);

        /// <summary>Compares <paramref name="actual"/> with the verified file named <paramref name="verifiedFile"/>.</summary>
        public static void Verify(string verifiedFile, string actual)
        {
            actual = Normalize(actual);
            string verified = Path.Combine(Repository.Snapshots, verifiedFile);
            string received = verified.Replace(".verified.", ".received.", StringComparison.Ordinal);
            string? expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;

            if (expected == actual)
            {
                File.Delete(received);
                return;
            }

            if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
            {
                if (IsCi())
                {
                    Assert.Fail($"{AcceptVariable}=1 is refused under CI=true: snapshots are accepted on a developer machine and committed.");
                }

                Directory.CreateDirectory(Repository.Snapshots);
                File.WriteAllText(verified, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                File.Delete(received);
                return;
            }

            Directory.CreateDirectory(Repository.Snapshots);
            File.WriteAllText(received, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            Assert.Fail(expected is null
                ? $"New snapshot {verifiedFile}: review {received} and accept it with {AcceptVariable}=1."
                : $"Snapshot {verifiedFile} differs: compare {received} with {verified}; accept with {AcceptVariable}=1 if the change is intended.\n--- received ---\n{actual}");
        }

        private static bool IsCi() =>
            string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

        private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
