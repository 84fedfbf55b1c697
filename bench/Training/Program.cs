// bench/run training — training throughput and decoding latency of generated models against the same
// architectures written in PyTorch eager (tests/reference/composer_reference/models.py), on the same
// libtorch build, with the same thread count and the same initial weights and batch.
//
// Both sides train the way Composer's trainer does: forward, label-smoothed cross-entropy summed and
// divided by the targets, backward, reading the loss, clipping by global norm, AdamW with decay on
// matrices only, gradients set to none. Decoding is greedy through each side's incremental step at
// B = 1: Composer through SequenceGenerator (the `generate` command's path), PyTorch through the
// reference's step with a KV cache (attention) or a K − 1 window (convolution).
//
// Rounds alternate between the sides so machine noise hits both alike; each figure is the best round.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Composer.Bench;
using Composer.Bench.Training;
using Composer.Checkpoints;
using Composer.Data;
using Composer.Generation;
using Composer.Layers;
using Composer.Models;
using Composer.Tensors;
using Composer.Training;
using Module = Composer.Layers.Module;
using static Settings;

// bench/run training [ROUNDS]: more rounds on a noisy machine.
int rounds = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int r) && r > 0 ? r : 5;

Size[] sizes =
[
    new("a", Width: 128, Heads: 4, Kernels: [7, 7, 7, 7], Batch: 8, Length: 128, UpdatesPerRound: 6),
    new("b", Width: 256, Heads: 8, Kernels: [3, 7, 15, 31, 31, 31], Batch: 8, Length: 256, UpdatesPerRound: 2),
];
Subject[] subjects =
[
    new("TransformerLm", "attention", Tied: true, "a", () => new TransformerA(ModuleContext.Cpu)),
    new("LightConvLm", "lightconv", Tied: false, "a", () => new LightConvA(ModuleContext.Cpu)),
    new("TransformerLm", "attention", Tied: true, "b", () => new TransformerB(ModuleContext.Cpu)),
    new("LightConvLm", "lightconv", Tied: false, "b", () => new LightConvB(ModuleContext.Cpu)),
];

Torch.Threads = Threads;
string references = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../tests/reference"));
using var python = new PythonWorker(Path.Combine(AppContext.BaseDirectory, "training.py"), "/usr/bin/python3",
    references, Threads.ToString(CultureInfo.InvariantCulture));
string Ask(string command)
{
    string answer = python.Request(command);
    return answer.StartsWith("error", StringComparison.Ordinal)
        ? throw new InvalidOperationException($"the PyTorch side failed on '{command.Split(' ')[0]}': {answer}")
        : answer;
}

var trainRows = new Table("model", "config", "B×T", "params", "start loss C#", "start loss Py", "Composer tok/s", "PyTorch tok/s", "ratio");
var decodeRows = new Table("model", "config", "tokens", "same tokens", "Composer ms/token", "PyTorch ms/token", "ratio");
var trainRatios = new Dictionary<string, List<double>>();
var decodeRatios = new List<double>();
string scratch = Directory.CreateTempSubdirectory("composer-bench-training-").FullName;
try
{
    foreach (var subject in subjects)
    {
        var size = sizes.Single(s => s.Name == subject.Size);
        string id = subject.Model + "-" + size.Name;
        Console.Error.WriteLine($"{id}: setting up");
        Torch.ManualSeed(1);
        using var run = new ComposerRun(subject.Create(), size);

        // Same weights and batch on both sides, exchanged as safetensors under the generated dotted names.
        string weights = Path.Combine(scratch, id + ".safetensors");
        run.Save(weights);
        Ask($"setup {id} " + JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["mixer"] = subject.Mixer, ["C"] = size.Width, ["H"] = size.Heads, ["kernels"] = size.Kernels, ["tied"] = subject.Tied,
            ["T"] = size.Length, ["B"] = size.Batch, ["dropout"] = ResidualDropout, ["weights"] = weights,
        }));
        double lossComposer = run.EvaluationLoss();
        double lossPyTorch = double.Parse(Ask($"loss {id}"), CultureInfo.InvariantCulture);
        if (Math.Abs(lossComposer - lossPyTorch) > 1e-4 * Math.Abs(lossPyTorch))
            throw new InvalidOperationException($"{id}: the two sides disagree before training (loss {lossComposer} vs {lossPyTorch}); they are not the same model, so timing them means nothing");

        // Greedy decoding from the shared weights generates the same tokens on both sides (up to
        // near-ties, which rounding can break differently); counted before training moves the weights.
        int agreeing = 0;
        if (size.Name == DecodeSize)
        {
            long[] ours = run.Generate(DecodeTokens);
            long[] theirs = Ask($"tokens {id} {DecodeTokens}").Split(',').Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            while (agreeing < ours.Length && ours[agreeing] == theirs[agreeing]) agreeing++;
        }

        // One untimed update each (first-touch allocations, lazy initialisation), then alternating rounds.
        run.Train(1);
        Ask($"train {id} 1");
        double bestComposer = double.MaxValue, bestPyTorch = double.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            bestComposer = Math.Min(bestComposer, run.Train(size.UpdatesPerRound) / size.UpdatesPerRound);
            bestPyTorch = Math.Min(bestPyTorch, double.Parse(Ask($"train {id} {size.UpdatesPerRound}"), CultureInfo.InvariantCulture) / size.UpdatesPerRound);
        }
        double tokens = size.Batch * size.Length;
        double ratio = bestPyTorch / bestComposer;
        trainRatios.TryAdd(size.Name, []);
        trainRatios[size.Name].Add(ratio);
        trainRows.Add(subject.Model, size.Name, $"{size.Batch}×{size.Length}", run.Parameters.ToString("N0", CultureInfo.InvariantCulture),
            F(lossComposer, 4), F(lossPyTorch, 4), F(tokens / bestComposer, 0), F(tokens / bestPyTorch, 0), F(ratio, 2));

        if (size.Name == DecodeSize)
        {
            run.Decode(DecodeTokens);
            Ask($"decode {id} {DecodeTokens}");
            double decodeComposer = double.MaxValue, decodePyTorch = double.MaxValue;
            for (int round = 0; round < rounds; round++)
            {
                decodeComposer = Math.Min(decodeComposer, run.Decode(DecodeTokens) / DecodeTokens);
                decodePyTorch = Math.Min(decodePyTorch, double.Parse(Ask($"decode {id} {DecodeTokens}"), CultureInfo.InvariantCulture) / DecodeTokens);
            }
            decodeRatios.Add(decodePyTorch / decodeComposer);
            decodeRows.Add(subject.Model, size.Name, DecodeTokens.ToString(CultureInfo.InvariantCulture), $"{agreeing}/{DecodeTokens}",
                F(decodeComposer * 1000, 3), F(decodePyTorch * 1000, 3), F(decodePyTorch / decodeComposer, 2));
        }
        Ask($"drop {id}");
    }
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

Console.WriteLine($"Training and decoding, CPU, torch threads {Threads} on both sides, OPENBLAS_NUM_THREADS={Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS") ?? "(unset)"}; libtorch {Torch.Version};");
Console.WriteLine($"best of {rounds} alternating rounds; Composer's CPU matrix products: {Torch.MatrixProducts}; load average at the end {Machine.LoadAverage()}.");
Console.WriteLine("(a) C=128, 4 layers, 4 heads, kernel 7, B=8, T=128;  (b) C=256, 6 layers, 8 heads, kernels 3,7,15,31,31,31, B=8, T=256.");
Console.WriteLine($"An update: forward, label-smoothed ({LabelSmoothing}) cross-entropy, backward, clip at {ClipNorm}, AdamW; residual dropout {ResidualDropout}.");
Console.WriteLine("start loss: evaluation-mode loss of the shared initial weights on the shared batch, computed by each side.");
Console.WriteLine("ratio = Composer tokens/s ÷ PyTorch tokens/s (above 1 = Composer faster).");
Console.WriteLine();
trainRows.Print();
Console.WriteLine();
Console.WriteLine($"Greedy decoding through the incremental step, B = 1, configuration ({DecodeSize}); same tokens: leading tokens both sides");
Console.WriteLine("generate from the shared initial weights; ratio = PyTorch ms/token ÷ Composer ms/token.");
decodeRows.Print();
Console.WriteLine();
Console.WriteLine($"RESULT train_ratio_a {F(trainRatios["a"].Min(), 2)}");
Console.WriteLine($"RESULT train_ratio_b {F(trainRatios["b"].Min(), 2)}");
Console.WriteLine($"RESULT decode_ratio {F(decodeRatios.Min(), 2)}");


static string F(double v, int decimals) => v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

/// <summary>A benchmark size: the model's width, heads and per-layer kernels, and the batch shape.</summary>
internal sealed record Size(string Name, int Width, int Heads, int[] Kernels, int Batch, int Length, int UpdatesPerRound);

/// <summary>One generated model at one size, its mixer as the PyTorch side names it, and how to build it.</summary>
internal sealed record Subject(string Model, string Mixer, bool Tied, string Size, Func<Module> Create);

/// <summary>
/// The Composer side of one subject: the generated model, its optimizer and the shared batch, trained
/// with the runtime's own objective, clipping and AdamW as <see cref="Trainer"/> runs them.
/// </summary>
internal sealed class ComposerRun : IDisposable
{
    private readonly Module _model;
    private readonly Objective _objective;
    private readonly AdamW _optimizer;
    private readonly Tensor[] _parameters;
    private readonly Tensor _tokens;
    private readonly Batch _batch;

    public ComposerRun(Module model, Size size)
    {
        _model = model;
        _objective = Objective.For(model);
        _optimizer = new AdamW(model.NamedParameters(), Beta1, Beta2, Eps, WeightDecay);
        _parameters = model.Parameters().ToArray();
        _tokens = Torch.Randint(0, 256, [size.Batch, size.Length + 1]);
        _batch = new Batch(_tokens.Narrow(1, 0, size.Length).Contiguous(), null, _tokens.Narrow(1, 1, size.Length).Contiguous(), null, null, (long)size.Batch * size.Length);
        Parameters = model.ParameterCount();
    }

    public long Parameters { get; }

    /// <summary>Writes the parameters as <c>param/&lt;dotted name&gt;</c> and the batch as <c>batch</c>.</summary>
    public void Save(string path)
    {
        var tensors = _model.NamedParameters().ToDictionary(p => "param/" + p.Name, p => p.Tensor);
        tensors["batch"] = _tokens;
        Safetensors.Save(path, tensors);
    }

    /// <summary>Cross-entropy per target on the batch, in evaluation mode.</summary>
    public double EvaluationLoss()
    {
        _model.Eval();
        using var noGrad = Torch.NoGrad();
        using var scope = new TensorScope();
        return _objective.Compute(_batch).Loss.ToDouble() / _batch.TargetTokens;
    }

    /// <summary>Seconds of <paramref name="updates"/> training updates.</summary>
    public double Train(int updates)
    {
        _model.Train();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < updates; i++)
        {
            using var scope = new TensorScope();
            var terms = _objective.Compute(_batch, LabelSmoothing);
            (terms.Loss / terms.Targets).Backward();
            double loss = terms.Loss.ToDouble();
            double norm = GradientClipping.ClipGradNorm(_parameters, ClipNorm);
            if (!double.IsFinite(loss) || !double.IsFinite(norm)) throw new InvalidOperationException($"the benchmark's training diverged (loss {loss}, gradient norm {norm})");
            _optimizer.Step(LearningRate);
            _optimizer.ZeroGrad();
        }
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Seconds of greedy decoding of <paramref name="tokens"/> steps from token 0 at B = 1.</summary>
    public double Decode(int tokens)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        Generate(tokens);
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// Greedy decoding from token 0: one prompt token, then <paramref name="tokens"/> − 1 generated
    /// ones, so <paramref name="tokens"/> calls of Step; returns the tokens each step chose.
    /// </summary>
    public long[] Generate(int tokens)
    {
        _model.Eval();
        return SequenceGenerator.Continue((ILanguageModel)_model, [[0]], tokens, SamplingOptions.Greedy)[0];
    }

    public void Dispose()
    {
        _batch.Dispose();
        _tokens.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}

/// <summary>The benchmark's fixed settings: the trainer's defaults, and the decoding measurement.</summary>
internal static class Settings
{
    public const int Threads = 2, DecodeTokens = 256;
    public const string DecodeSize = "b";
    public const double LearningRate = 1e-3, Beta1 = 0.9, Beta2 = 0.98, Eps = 1e-8, WeightDecay = 0.01;
    public const double ClipNorm = 1.0, LabelSmoothing = 0.1, ResidualDropout = 0.1;
}
