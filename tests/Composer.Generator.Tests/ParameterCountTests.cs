using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Composer.Generator.Tests.Infrastructure;
using Composer.Layers;
using Composer.Models;
using TorchSharp;
using Module = TorchSharp.torch.nn.Module;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// The compile-time facts of each generated model hold for the model the Runtime builds: the
    /// generator counts parameters from its own table of mixer shapes, so each case is compiled,
    /// loaded and instantiated, and its <c>ParameterTotal</c> and per-layer counts are compared with
    /// the modules' actual parameters (user mixers' own parameters aside, which the count leaves out).
    /// </summary>
    public sealed class ParameterCountTests
    {
        [Theory]
        [MemberData(nameof(GeneratedSourceTests.Cases), MemberType = typeof(GeneratedSourceTests))]
        public void CountsMatchTheBuiltModel(string name)
        {
            var run = GeneratedSourceTests.RunCase(name);
            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));
            Assembly assembly = Load(run.Output);
            var models = assembly.GetTypes().Where(t => typeof(Module).IsAssignableFrom(t) && t.GetProperty("Architecture", BindingFlags.Public | BindingFlags.Static) is not null).ToList();
            Assert.NotEmpty(models);
            foreach (Type type in models)
            {
                var description = (ModelDescription)type.GetProperty("Architecture")!.GetValue(null)!;
                long declared = (long)type.GetField("ParameterTotal")!.GetRawConstantValue()!;
                Assert.Equal(declared, description.ParameterCount);
                using var model = (Module)Activator.CreateInstance(type, ModuleContext.Cpu)!;
                long uncounted = UserMixerParameters(model);
                long built = model.parameters().Sum(p => p.numel());
                Assert.True(declared == built - uncounted, $"{type.Name}: ParameterTotal {declared}, built model {built} ({uncounted} in user mixers)");
                Assert.Equal(((ISequenceModel)model).Description, description);

                foreach (LayerDescription layer in description.Layers)
                {
                    string prefix = (layer.Stack == "layers" ? "layers." : layer.Stack + ".layers.") + layer.Index + ".";
                    long actual = model.named_parameters().Where(p => p.name.StartsWith(prefix, StringComparison.Ordinal) && !IsUserMixer(model, p.name)).Sum(p => p.parameter.numel());
                    Assert.True(layer.ParameterCount == actual, $"{type.Name} {prefix}: described {layer.ParameterCount}, built {actual}");
                }
            }
        }

        /// <summary>Parameters under a user mixer (a mixer whose type is not in Composer.Runtime).</summary>
        private static long UserMixerParameters(Module model) =>
            model.named_parameters().Where(p => IsUserMixer(model, p.name)).Sum(p => p.parameter.numel());

        private static bool IsUserMixer(Module model, string parameter) =>
            parameter.Contains(".mixer.gate.", StringComparison.Ordinal) || parameter.Contains(".mixer.value.", StringComparison.Ordinal)
            || parameter.Contains(".cross.gate.", StringComparison.Ordinal) || parameter.Contains(".cross.value.", StringComparison.Ordinal);

        private static Assembly Load(Compilation compilation)
        {
            using var image = new MemoryStream();
            var result = compilation.Emit(image);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            return Assembly.Load(image.ToArray());
        }
    }
}
