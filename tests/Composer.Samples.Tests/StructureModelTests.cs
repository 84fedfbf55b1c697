using System.Collections.Generic;
using Composer.Layers;
using Composer.Models;
using Composer.Samples.Tests.Structure;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Samples.Tests;

/// <summary>
/// Generated Funnel and reversible models = an independent PyTorch implementation of the same declarations
/// (tests/reference/composer_reference/structure.py), weights loaded by dotted name: outputs, the Step loop,
/// and every input and parameter gradient within 1e-5 relative. PyTorch keeps every activation; the
/// reversible models recompute them in the backward pass, so their gradients equalling PyTorch's is the
/// gradient check of the recomputation. Funnel inputs have odd lengths, so a trailing position is dropped.
/// </summary>
public sealed class StructureModelTests
{
    private const string File = "structure";

    [Fact]
    public void FunnelClassifierPoolsQueriesAndKeepsTheFirstPosition() => CheckClassifier(nameof(FunnelClassifier), new FunnelClassifier(ModuleContext.Cpu));

    [Fact]
    public void MaxFunnelClassifierPoolsConvolutionInputsAndSparsemaxQueries() => CheckClassifier(nameof(MaxFunnelClassifier), new MaxFunnelClassifier(ModuleContext.Cpu));

    [Fact]
    public void FunnelTranslatorDecodesAgainstThePooledMemory() => CheckTranslator(nameof(FunnelTranslator), new FunnelTranslator(ModuleContext.Cpu));

    [Fact]
    public void ReversibleTranslatorRecomputesBothStacks() => CheckTranslator(nameof(ReversibleTranslator), new ReversibleTranslator(ModuleContext.Cpu));

    [Fact]
    public void ReversibleLanguageModelRecomputesAndSteps()
    {
        using var model = new ReversibleLm(ModuleContext.Cpu);
        model.eval();
        Reference.Check(File, nameof(ReversibleLm), model, c =>
        {
            var tokens = c.Input("tokens");
            var logits = model.forward(tokens, c.Input("padding"));
            using var state = model.NewState(tokens.shape[0]);
            var steps = new List<Tensor>();
            for (long t = 0; t < tokens.shape[1]; t++) steps.Add(model.Step(tokens.narrow(1, t, 1), state));
            return new[] { logits, cat(steps, 1) };
        });
    }

    [Fact]
    public void FunnelMemoryPaddingIsTheSourcePaddingPooled()
    {
        using var model = new FunnelTranslator(ModuleContext.Cpu);
        using var scope = NewDisposeScope();
        var padding = tensor(new[] { false, false, false, false, false, false, false, false, false, false, false, false, false, false, true, true, true, true }, [2, 9]);
        var pooled = model.EncoderStack.MemoryPadding(padding)!;
        // Row 1 has 5 valid positions: pairs (0,1), (2,3) stay valid, (4,5) holds a padded one, (6,7) too; 8 is dropped.
        Assert.Equal(new[] { false, false, false, false, false, false, true, true }, pooled.data<bool>().ToArray());
        Assert.Equal(pooled.shape[1], model.Encode(zeros(2, 9, ScalarType.Int64), padding).shape[1]);
        Assert.Null(model.EncoderStack.MemoryPadding(null));
    }

    private static void CheckClassifier<TModel>(string name, TModel model) where TModel : nn.Module, IClassifier
    {
        using (model)
        {
            model.eval();
            Reference.Check(File, name, model, c => model.forward(c.Input("tokens"), c.Input("padding")));
        }
    }

    private static void CheckTranslator<TModel>(string name, TModel model) where TModel : nn.Module, ISeq2SeqModel
    {
        using (model)
        {
            model.eval();
            Reference.Check(File, name, model, c =>
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
    }
}
