using System;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>Linformer against tests/reference/composer_reference/position.py; encoder only, so no step tests.</summary>
public class LinformerTests
{
    private const string File = "mixers_position";

    private static Linformer Create(int projectedLength, double dropout = 0, int maxLength = 8) =>
        new(new MixerContext(ModuleContext.Cpu, Width: 8, Heads: 2, MaxLength: maxLength, AttentionDropout: dropout), new LinformerOptions(projectedLength));

    [Fact]
    public void MatchesPyTorchWithPadding()
    {
        using var mixer = Create(projectedLength: 3);
        Reference.Check(File, "linformer_encoder", mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
    }

    [Fact]
    public void MatchesPyTorchAtFullLength()
    {
        using var mixer = Create(projectedLength: 4);
        Reference.Check(File, "linformer_full_length", mixer, c => mixer.forward(c.Input("x"), null));
    }

    [Fact]
    public void CausalContextIsRefused()
    {
        var context = new MixerContext(ModuleContext.Cpu, Width: 8, Heads: 2, MaxLength: 8, Causal: true);
        var error = Assert.Throws<ArgumentException>(() => new Linformer(context, new LinformerOptions(4)));
        Assert.Contains("cannot be causal", error.Message);
        using var encoder = new Linformer(context with { Causal = false }, new LinformerOptions(4));
        Assert.False(encoder.Facts.CausalCapable);
    }

    [Fact]
    public void PaddingDoesNotLeak()
    {
        // Each padded sequence must give, at its real positions, what it gives alone and unpadded,
        // whatever its padded positions hold; padded positions output zero.
        using var mixer = Create(projectedLength: 3);
        mixer.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(2, 6, 8);
        var padding = tensor(new bool[] { false, false, false, false, false, false, false, false, false, false, true, true }, [2, 6]);
        var noisy = where(padding.unsqueeze(-1), randn(2, 6, 8) * 100.0, x);
        var output = mixer.forward(noisy, padding);
        Reference.AssertClose(output.narrow(0, 1, 1).narrow(1, 0, 4), mixer.forward(x.narrow(0, 1, 1).narrow(1, 0, 4), null), "real positions of the padded row");
        Reference.AssertClose(output.narrow(0, 0, 1), mixer.forward(x.narrow(0, 0, 1), null), "the unpadded row");
        Reference.AssertClose(output.narrow(0, 1, 1).narrow(1, 4, 2), zeros(1, 2, 8), "padded positions");
    }

    [Fact]
    public void LeaksNothing()
    {
        using var mixer = Create(projectedLength: 2);
        using var x = randn(2, 5, 8);
        using var padding = tensor(new bool[] { false, false, false, false, false, false, false, false, true, true }, [2, 5]);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, null);
    }

    [Fact]
    public void DropoutActsInTrainingOnly()
    {
        using var mixer = Create(projectedLength: 4, dropout: 0.5);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(2, 6, 8);
        mixer.eval();
        var first = mixer.forward(x, null);
        Assert.True(first.equal(mixer.forward(x, null)).all().item<bool>(), "evaluation mode must be deterministic");
        mixer.train();
        Assert.False(first.allclose(mixer.forward(x, null)), "training mode with attention dropout 0.5 must change the output");
    }

    [Fact]
    public void ProjectedLengthDefaultsToAQuarterAndIsBounded()
    {
        using (var mixer = Create(projectedLength: 0, maxLength: 64))
        {
            Assert.Equal(16, mixer.ProjectedLength);
            Assert.Equal([16L, 64], mixer.CompressK.shape);
        }
        var error = Assert.Throws<ArgumentException>(() => Create(projectedLength: 9));
        Assert.Contains("between 1 and MaxLength = 8", error.Message);
    }

    [Fact]
    public void ParameterNames()
    {
        using var mixer = Create(projectedLength: 3);
        Assert.Equal(
            ["compress_k", "compress_v", "q_proj.weight", "q_proj.bias", "k_proj.weight", "k_proj.bias", "v_proj.weight", "v_proj.bias", "out_proj.weight", "out_proj.bias"],
            System.Linq.Enumerable.Select(mixer.named_parameters(), p => p.name));
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var mixer = Create(projectedLength: 3);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.Equal(CostClass.Linear, mixer.Facts.Cost);
    }

    [Fact]
    public void LongerThanMaxLengthIsAnError()
    {
        using var mixer = Create(projectedLength: 3);
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => mixer.forward(randn(1, 9, 8), null));
    }
}
