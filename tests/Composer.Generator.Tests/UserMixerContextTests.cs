using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Composer.Generator.Tests.Infrastructure;
using Composer.Layers;
using Composer.Mixers;
using Microsoft.CodeAnalysis;
using Module = TorchSharp.torch.nn.Module;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>
    /// What a user mixer's [MixerFacts(Needs = …)] asks for reaches it: the generated model is built and
    /// each layer's mixer reports the context it was constructed with.
    /// </summary>
    public sealed class UserMixerContextTests
    {
        [Fact]
        public void EachLayersMixerGetsTheHeadsKernelWindowAndMaxLengthItNeeds()
        {
            var run = GeneratedSourceTests.RunCase("UserMixerNeeds");
            Assert.True(run.CompilerErrors.IsEmpty, DiagnosticRenderer.Summary(run.CompilerErrors));

            using var image = new MemoryStream();
            Assert.True(run.Output.Emit(image).Success);
            Type type = Assembly.Load(image.ToArray()).GetType("WindowedLm")!;
            using var model = (Module)Activator.CreateInstance(type, ModuleContext.Cpu)!;

            MixerContext Context(string layer)
            {
                object block = type.GetProperty(layer)!.GetValue(model)!;
                object mixer = block.GetType().GetProperty("Mixer")!.GetValue(block)!;
                return (MixerContext)mixer.GetType().GetProperty("Context")!.GetValue(mixer)!;
            }

            MixerContext first = Context("Layer0"), second = Context("Layer1");
            Assert.Equal((16, 4, 3, 2, 32, true, 0), (first.Width, first.Heads, first.Kernel, first.Window, first.MaxLength, first.Causal, first.LayerIndex));
            Assert.Equal((16, 4, 5, 2, 32, true, 1), (second.Width, second.Heads, second.Kernel, second.Window, second.MaxLength, second.Causal, second.LayerIndex));
        }
    }
}
