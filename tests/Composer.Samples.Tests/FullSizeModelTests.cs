using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Composer.Checkpoints;
using Composer.Layers;
using Composer.Models;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Samples.Tests;

/// <summary>
/// Generated = reference at full size: each sample model exactly as declared in sample-models, with
/// Composer's random initialisation, exchanges its weights and inputs with PyTorch as safetensors under
/// the dotted names; tests/reference/check_models.py runs the independent implementation on them, and
/// Forward (and the Step loop of causal models) must agree within 1e-5 relative. Needs PyTorch at test
/// time (the twins in <see cref="GeneratedModelTests"/> cover the same architectures without it).
/// </summary>
public sealed class FullSizeModelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("composer-full-size-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [PythonWithTorchFact] public void TransformerLm() => CheckLanguageModel(nameof(TransformerLm), c => new TransformerLm(c));

    [PythonWithTorchFact] public void LightConvLm() => CheckLanguageModel(nameof(LightConvLm), c => new LightConvLm(c));

    [PythonWithTorchFact] public void DynamicConvLm() => CheckLanguageModel(nameof(DynamicConvLm), c => new DynamicConvLm(c));

    [PythonWithTorchFact] public void LinearTransformerLm() => CheckLanguageModel(nameof(LinearTransformerLm), c => new LinearTransformerLm(c));

    [PythonWithTorchFact] public void HybridLm() => CheckLanguageModel(nameof(HybridLm), c => new HybridLm(c));

    [PythonWithTorchFact]
    public void ConvTranslator()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new ConvTranslator(ModuleContext.Cpu);
        model.eval();
        var inputs = new Dictionary<string, Tensor>
        {
            ["source"] = randint(0, model.SourceVocabulary, [2, 11]),
            ["source_padding"] = Padding(2, 11, 3),
            ["target"] = randint(0, model.TargetVocabulary, [2, 8]),
            ["target_padding"] = Padding(2, 8, 2),
        };
        var expected = RunReference(nameof(ConvTranslator), model, inputs);
        using var noGrad = no_grad();
        var memory = model.Encode(inputs["source"], inputs["source_padding"]);
        Reference.AssertClose(model.Decode(inputs["target"], inputs["target_padding"], memory, inputs["source_padding"]), expected[0], "ConvTranslator forward");
        using var state = model.NewState(memory, inputs["source_padding"]);
        var steps = new List<Tensor>();
        for (long t = 0; t < 8; t++) steps.Add(model.Step(inputs["target"].narrow(1, t, 1), state));
        Reference.AssertClose(cat(steps, 1), expected[1], "ConvTranslator step loop");
    }

    [PythonWithTorchFact]
    public void AttentionClassifier()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var model = new AttentionClassifier(ModuleContext.Cpu);
        model.eval();
        var inputs = new Dictionary<string, Tensor>
        {
            ["tokens"] = randint(0, model.Vocabulary, [2, 13]),
            ["padding"] = Padding(2, 13, 4),
        };
        var expected = RunReference(nameof(AttentionClassifier), model, inputs);
        using var noGrad = no_grad();
        Reference.AssertClose(model.forward(inputs["tokens"], inputs["padding"]), expected[0], "AttentionClassifier forward");
    }

    private void CheckLanguageModel<TModel>(string name, Func<ModuleContext, TModel> create) where TModel : nn.Module, ILanguageModel
    {
        using var scope = NewDisposeScope();
        manual_seed(name.Length);
        using var model = create(ModuleContext.Cpu);
        model.eval();
        var inputs = new Dictionary<string, Tensor>
        {
            ["tokens"] = randint(0, model.Vocabulary, [2, 12]),
            ["padding"] = Padding(2, 12, 4),
        };
        var expected = RunReference(name, model, inputs);
        using var noGrad = no_grad();
        var tokens = inputs["tokens"];
        Reference.AssertClose(model.forward(tokens, inputs["padding"]), expected[0], name + " forward");
        using var state = model.NewState(2);
        var steps = new List<Tensor>();
        for (long t = 0; t < tokens.shape[1]; t++) steps.Add(model.Step(tokens.narrow(1, t, 1), state));
        Reference.AssertClose(cat(steps, 1), expected[1], name + " step loop");
    }

    /// <summary>Row 0 unpadded, row 1 padded at its last <paramref name="padded"/> positions.</summary>
    private static Tensor Padding(long batch, long length, long padded)
    {
        var mask = new bool[batch * length];
        for (long t = length - padded; t < length; t++) mask[length + t] = true;
        return tensor(mask, [batch, length]);
    }

    /// <summary>Writes the model's weights and the inputs, runs check_models.py, returns its outputs.</summary>
    private Tensor[] RunReference(string name, nn.Module model, Dictionary<string, Tensor> inputs)
    {
        var exchange = new Dictionary<string, Tensor>();
        foreach (var (parameter, tensor) in model.state_dict()) exchange["param/" + parameter] = tensor.detach();
        foreach (var (input, tensor) in inputs) exchange["in/" + input] = tensor;
        string weights = Path.Combine(_folder, name + ".in.safetensors");
        string outputs = Path.Combine(_folder, name + ".out.safetensors");
        Safetensors.Save(weights, exchange);

        var start = new ProcessStartInfo(PythonWithTorchFactAttribute.Python, [Script, name, weights, outputs])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Script)!,
        };
        start.Environment["OMP_NUM_THREADS"] = "1";
        using (var p = Process.Start(start)!)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(300_000), "check_models.py did not finish within five minutes");
            Assert.True(p.ExitCode == 0, $"check_models.py {name} failed with exit code {p.ExitCode}:\n{stderr.Result}");
        }

        var file = Safetensors.Load(outputs);
        try
        {
            var result = new List<Tensor>();
            for (int k = 0; file.Contains($"out/{k}"); k++) result.Add(file.Get($"out/{k}"));
            return result.ToArray();
        }
        finally
        {
            file.Dispose();
        }
    }

    private static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "reference", "check_models.py");
                if (File.Exists(candidate)) return candidate;
            }

            throw new FileNotFoundException("tests/reference/check_models.py not found above " + AppContext.BaseDirectory);
        }
    }
}
