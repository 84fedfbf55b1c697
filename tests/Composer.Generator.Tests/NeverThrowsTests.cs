using System;
using System.Globalization;
using Composer.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// The generator never throws: seeded random declarations, valid, invalid and syntactically
    /// broken, all run with <see cref="GeneratorRunResult.Exception"/> null, and every diagnostic they
    /// draw formats its message and points inside its file. Set COMPOSER_FUZZ_CASES to run more.
    /// </summary>
    public sealed class NeverThrowsTests
    {
        private const int Seed = 20261121;

        [Fact]
        public void RandomDeclarationsNeverThrow()
        {
            int cases = int.TryParse(Environment.GetEnvironmentVariable("COMPOSER_FUZZ_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 500;
            int diagnostics = 0;
            for (int i = 0; i < cases; i++)
            {
                string source = new RandomDeclarations(Seed + i).Next();
                GeneratorRunResult result = GeneratorHarness.RunGeneratorOnly(GeneratorHarness.Compile(("Fuzz.cs", source)));
                Assert.True(result.Exception is null, $"case {i} (seed {Seed + i}) threw {result.Exception}\n{source}");
                foreach (Diagnostic diagnostic in result.Diagnostics)
                {
                    diagnostics++;
                    Assert.False(string.IsNullOrEmpty(diagnostic.GetMessage(CultureInfo.InvariantCulture)));
                    SyntaxTree? tree = diagnostic.Location.SourceTree;
                    Assert.True(tree is not null && diagnostic.Location.SourceSpan.End <= tree.Length, $"case {i}: {diagnostic} points outside its file\n{source}");
                }
            }

            // The generator must have had something to say, or the cases exercise nothing.
            Assert.True(diagnostics > cases, $"only {diagnostics} diagnostics over {cases} cases");
        }
    }
}
