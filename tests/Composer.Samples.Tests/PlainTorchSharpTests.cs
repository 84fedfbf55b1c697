using System.Linq;
using Composer.Samples.Probes;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Samples.Tests;

/// <summary>
/// A generated model in the hands of a TorchSharp user who knows nothing of Composer: this file uses
/// TorchSharp and the model class, no other Composer type. Built with TorchSharp's usual optional
/// device and dtype; <c>state_dict</c>, <c>parameters()</c> into TorchSharp's own optimizer,
/// <c>call</c>, <c>train()</c>/<c>eval()</c> and <c>to(…)</c> behave as for any TorchSharp module.
/// </summary>
public sealed class PlainTorchSharpTests
{
    [Fact]
    public void AGeneratedModelIsUsedLikeAnyTorchSharpModule()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var model = new AttentionProbe();

        // state_dict: PyTorch-style dotted names over the very tensors parameters() yields.
        var state = model.state_dict();
        Assert.Contains("embed.weight", state.Keys);
        Assert.Contains("layers.1.mixer.qkv_proj.weight", state.Keys);
        Assert.Contains("layers.1.ffn.fc2.bias", state.Keys);
        Assert.Equal(AttentionProbe.ParameterTotal, model.parameters().Sum(p => p.numel()));
        Assert.Equal(state.Count, model.named_parameters().Count());
        Assert.Same(state["norm.weight"], model.named_parameters().Single(p => p.name == "norm.weight").parameter);

        // call (TorchSharp's entry point, with hooks) runs the generated forward.
        var tokens = randint(0, model.Vocabulary, [4, 24]);
        var targets = randint(0, model.Vocabulary, [4, 24]);
        model.eval();
        var logits = model.call(tokens, null);
        Assert.Equal(new long[] { 4, 24, model.Vocabulary }, logits.shape);
        Assert.True(model.call(tokens, null).equal(logits).all().item<bool>(), "eval() must make the model deterministic");
        model.train();
        Assert.False(model.call(tokens, null).allclose(logits), "train() must switch the model's dropout on");

        // TorchSharp's own AdamW trains it through parameters().
        var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
        model.eval();
        double before = nn.functional.cross_entropy(model.call(tokens, null).view(-1, model.Vocabulary), targets.view(-1)).item<float>();
        model.train();
        for (int step = 0; step < 30; step++)
        {
            using var update = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(tokens, null).view(-1, model.Vocabulary), targets.view(-1));
            loss.backward();
            optimizer.step();
        }
        model.eval();
        double after = nn.functional.cross_entropy(model.call(tokens, null).view(-1, model.Vocabulary), targets.view(-1)).item<float>();
        Assert.True(after < 0.8 * before, $"30 AdamW steps moved the loss from {before} to {after} only");

        // to(dtype) converts every parameter and buffer in place of the old ones: the model still
        // computes the same function, in float64, through forward and through the decoding state.
        using (no_grad())
        {
            var reference = model.call(tokens, null);
            model.to(ScalarType.Float64);
            Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
            var wide = model.call(tokens, null);
            Assert.Equal(ScalarType.Float64, wide.dtype);
            Assert.True(wide.to(ScalarType.Float32).allclose(reference, rtol: 1e-4, atol: 1e-5), "the float64 model computes another function");

            using var decoding = model.NewState(4);
            var first = model.Step(tokens.narrow(1, 0, 1), decoding);
            Assert.Equal(ScalarType.Float64, first.dtype);
            Assert.True(first.allclose(wide.narrow(1, 0, 1), rtol: 1e-9, atol: 1e-9), "Step after to(float64) disagrees with forward");

            model.to(CPU);
            Assert.All(model.parameters(), p => Assert.Equal(DeviceType.CPU, p.device_type));
        }
    }
}
