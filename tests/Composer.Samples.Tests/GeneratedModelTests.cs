using System.Collections.Generic;
using System.Linq;
using Composer.Layers;
using Composer.Models;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Samples.Tests;

/// <summary>
/// Generated = reference: each sample architecture (as its reduced-width twin) loads the weights of an
/// independent PyTorch implementation (tests/reference/composer_reference/models.py) by their dotted
/// names, and its Forward and, for causal models, its Step loop give PyTorch's outputs, input
/// gradients and parameter gradients within 1e-5 relative. The reference data are written by
/// tests/reference/models_reference.py.
/// </summary>
public sealed class GeneratedModelTests
{
    private const string File = "models";

    [Fact] public void TransformerLm() => CheckLanguageModel(nameof(TransformerLm), new TransformerLmTwin(ModuleContext.Cpu));

    [Fact] public void LightConvLm() => CheckLanguageModel(nameof(LightConvLm), new LightConvLmTwin(ModuleContext.Cpu));

    [Fact] public void DynamicConvLm() => CheckLanguageModel(nameof(DynamicConvLm), new DynamicConvLmTwin(ModuleContext.Cpu));

    [Fact] public void LinearTransformerLm() => CheckLanguageModel(nameof(LinearTransformerLm), new LinearTransformerLmTwin(ModuleContext.Cpu));

    [Fact] public void HybridLm() => CheckLanguageModel(nameof(HybridLm), new HybridLmTwin(ModuleContext.Cpu));

    [Fact]
    public void ConvTranslator()
    {
        using var model = new ConvTranslatorTwin(ModuleContext.Cpu);
        model.eval();
        Reference.Check(File, nameof(ConvTranslator), model, c =>
        {
            var (source, sourcePadding) = (c.Input("source"), c.Input("source_padding"));
            var (target, targetPadding) = (c.Input("target"), c.Input("target_padding"));
            var memory = model.Encode(source, sourcePadding);
            var logits = model.Decode(target, targetPadding, memory, sourcePadding);
            using var state = model.NewState(memory, sourcePadding);
            var steps = new List<Tensor>();
            for (long t = 0; t < target.shape[1]; t++) steps.Add(model.Step(target.narrow(1, t, 1), state));
            return new[] { logits, cat(steps, 1) };
        });
    }

    [Fact]
    public void AttentionClassifier()
    {
        using var model = new AttentionClassifierTwin(ModuleContext.Cpu);
        model.eval();
        Reference.Check(File, nameof(AttentionClassifier), model, c => model.forward(c.Input("tokens"), c.Input("padding")));
    }

    /// <summary>Forward over the padded batch, then the same tokens fed one at a time through Step.</summary>
    private static void CheckLanguageModel<TModel>(string name, TModel model) where TModel : nn.Module, ILanguageModel
    {
        using (model)
        {
            model.eval();
            Reference.Check(File, name, model, c =>
            {
                var tokens = c.Input("tokens");
                var logits = model.forward(tokens, c.Input("padding"));
                using var state = model.NewState(tokens.shape[0]);
                var steps = new List<Tensor>();
                for (long t = 0; t < tokens.shape[1]; t++) steps.Add(model.Step(tokens.narrow(1, t, 1), state));
                Assert.Equal(tokens.shape[1], state.Position);
                return new[] { logits, cat(steps, 1) };
            });
        }
    }
}
