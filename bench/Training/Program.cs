// bench/run training — training throughput and decoding latency of generated models against the same
// architectures written by hand in TorchSharp (same libtorch) and in PyTorch eager
// (tests/reference/composer_reference/models.py on Debian's PyTorch 1.13, a different libtorch build),
// all from the same initial weights and batch.
//
// Every side trains the way Composer's trainer does: forward, label-smoothed cross-entropy summed and
// divided by the targets, backward, reading the loss, clipping by global norm, AdamW with decay on
// matrices only. Decoding is greedy through each side's incremental step at B = 1: the generated model
// through SequenceGenerator (the `generate` command's path), the hand-written one through its
// torch.cat-grown caches, PyTorch through the reference's step with a KV cache (attention) or a K − 1
// window (convolution).
//
// Rounds alternate between the sides so machine noise hits all alike; each figure is the best round.
// The C# sides run with 2 torch threads; PyTorch runs in two workers, 1 torch thread × 2 OpenBLAS
// threads and 2 × 1 (OpenBLAS reads its count when the process starts), and each row keeps the better.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Composer.Bench;
using Composer.Bench.Training;
using Composer.Checkpoints;
using Composer.Bench.Training.HandWritten;
using TorchSharp;
using static Composer.Bench.Training.Settings;
using static TorchSharp.torch;

// bench/run training [ROUNDS]: more rounds on a noisy machine.
int rounds = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int r) && r > 0 ? r : 5;

Config[] sizes =
[
    new("a", Width: 128, Heads: 4, Kernels: [7, 7, 7, 7], Batch: 8, Length: 128, UpdatesPerRound: 6),
    new("b", Width: 256, Heads: 8, Kernels: [3, 7, 15, 31, 31, 31], Batch: 8, Length: 256, UpdatesPerRound: 2),
];
Subject[] subjects =
[
    new("TransformerLm", "attention", Tied: true, "a"),
    new("LightConvLm", "lightconv", Tied: false, "a"),
    new("TransformerLm", "attention", Tied: true, "b"),
    new("LightConvLm", "lightconv", Tied: false, "b"),
];

// torch threads of the C# sides, the first being the default (self-checks run under it). libtorch's
// OpenMP threads wait at a barrier after every op, so on a busy machine one thread can beat two: both
// are measured, switched with set_num_threads before each measurement.
int[] CSharpThreads = [Threads, 1];
set_num_threads(CSharpThreads[0]);
string loadAtStart = Machine.LoadAverage();
string references = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../tests/reference"));
string script = Path.Combine(AppContext.BaseDirectory, "training.py");
// OpenBLAS fixes its thread count when the process starts, so each PyTorch setting is its own worker.
var pythonSettings = new (string Label, int TorchThreads, int BlasThreads)[] { ("1×2", 1, 2), ("2×1", 2, 1) };
var workers = pythonSettings.Select(s => new PythonWorker(script, s.BlasThreads, "/usr/bin/python3", references, s.TorchThreads.ToString(CultureInfo.InvariantCulture))).ToArray();
// What each worker reports it runs with, printed with the figures.
string[] workerSettings = workers.Select(w => w.Request("info")).ToArray();

var trainRows = new Table("model", "config", "B×T", "params", "loss gen", "loss TS", "loss Py",
    "generated tok/s", "TorchSharp tok/s", "PyTorch tok/s", "gen÷TS", "gen÷Py", "TS÷Py");
var decodeRows = new Table("model", "config", "tokens", "same gen", "same TS", "generated ms/tok", "TorchSharp ms/tok",
    "PyTorch ms/tok", "TS÷gen", "Py÷gen", "Py÷TS");
var trainVsTorchSharp = new Dictionary<string, List<double>>();
var trainVsPyTorch = new Dictionary<string, List<double>>();
var decodeVsTorchSharp = new List<double>();
var decodeVsPyTorch = new List<double>();
string scratch = Directory.CreateTempSubdirectory("composer-bench-training-").FullName;
try
{
    foreach (var subject in subjects)
    {
        var size = sizes.Single(s => s.Name == subject.Size);
        Console.Error.WriteLine($"{subject.Id}: setting up");
        manual_seed(1);
        using var tokens = randint(0, Vocabulary, [size.Batch, size.Length + 1]);
        using var generated = new ComposerRun(NewGenerated(subject), tokens);

        // The weights every side starts from: the generated model's, under its dotted names.
        var weights = generated.Weights;
        using var handWritten = new HandWrittenRun(LoadedModel(subject, size, weights), tokens);
        string weightsFile = Path.Combine(scratch, subject.Id + ".safetensors");
        var exchanged = weights.ToDictionary(w => "param/" + w.Key, w => w.Value);
        exchanged["batch"] = tokens;
        Safetensors.Save(weightsFile, exchanged);
        string spec = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["mixer"] = subject.Mixer, ["C"] = size.Width, ["H"] = size.Heads, ["kernels"] = size.Kernels, ["tied"] = subject.Tied,
            ["T"] = size.Length, ["B"] = size.Batch, ["dropout"] = ResidualDropout, ["weights"] = weightsFile,
        });
        var pytorch = workers.Select(w => new PyTorchRun(w, subject.Id, spec)).ToArray();
        try
        {
            // Self-check: every side computes the same evaluation loss from the same weights, or they
            // are not the same model and timing them means nothing.
            double lossPyTorch = pytorch[0].EvaluationLoss();
            double lossHandWritten = handWritten.EvaluationLoss();
            double lossGenerated = generated.EvaluationLoss();
            foreach (var (side, l) in new[] { ("hand-written TorchSharp", lossHandWritten), ("generated", lossGenerated), ("PyTorch 2×1", pytorch[1].EvaluationLoss()) })
                if (!SameLoss(l, lossPyTorch))
                    throw new InvalidOperationException($"{subject.Id}: the {side} model's evaluation loss {l} differs from PyTorch's {lossPyTorch} on the same weights and batch; they are not the same model, so timing them means nothing");

            // Greedy decoding from the shared weights generates the same tokens on every side (up to
            // near-ties, which rounding can break differently); counted before training moves the weights.
            string sameGenerated = "—", sameHandWritten = "—";
            if (size.Name == DecodeSize)
            {
                long[] reference = pytorch[0].Generate(DecodeTokens);
                sameHandWritten = SameTokens(subject, "hand-written", handWritten.Generate(DecodeTokens), reference, handWritten);
                sameGenerated = SameTokens(subject, "generated", generated.Generate(DecodeTokens), reference, handWritten);
            }

            // Every side under each of its thread settings; one untimed update each (first-touch
            // allocations, lazy initialisation), then alternating rounds; each side keeps its best setting.
            var entrants = new List<Entrant>();
            foreach (int n in CSharpThreads)
            {
                entrants.Add(new("generated", n.ToString(CultureInfo.InvariantCulture), generated, n));
                entrants.Add(new("TS", n.ToString(CultureInfo.InvariantCulture), handWritten, n));
            }
            entrants.AddRange(pytorch.Select((run, i) => new Entrant("Py", pythonSettings[i].Label, run, null)));
            foreach (var entrant in entrants) entrant.Measure(side => side.Train(1));
            var train = Best(entrants, rounds, side => side.Train(size.UpdatesPerRound) / size.UpdatesPerRound);
            double tokensPerUpdate = size.TokensPerUpdate;
            var (genTrain, genTrainSetting) = train["generated"];
            var (hwTrain, hwTrainSetting) = train["TS"];
            var (pyTrain, pyTrainSetting) = train["Py"];
            trainVsTorchSharp.TryAdd(size.Name, []);
            trainVsTorchSharp[size.Name].Add(hwTrain / genTrain);
            trainVsPyTorch.TryAdd(size.Name, []);
            trainVsPyTorch[size.Name].Add(pyTrain / genTrain);
            trainRows.Add(subject.Model, size.Name, $"{size.Batch}×{size.Length}", handWritten.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                F(lossGenerated, 4), F(lossHandWritten, 4), F(lossPyTorch, 4),
                Rate(tokensPerUpdate / genTrain, genTrainSetting), Rate(tokensPerUpdate / hwTrain, hwTrainSetting), Rate(tokensPerUpdate / pyTrain, pyTrainSetting),
                F(hwTrain / genTrain, 2), F(pyTrain / genTrain, 2), F(pyTrain / hwTrain, 2));

            if (size.Name == DecodeSize)
            {
                foreach (var entrant in entrants) entrant.Measure(side => side.Decode(DecodeTokens));
                var decode = Best(entrants, rounds, side => side.Decode(DecodeTokens) / DecodeTokens);
                var (genDecode, genDecodeSetting) = decode["generated"];
                var (hwDecode, hwDecodeSetting) = decode["TS"];
                var (pyDecode, pyDecodeSetting) = decode["Py"];
                decodeVsTorchSharp.Add(hwDecode / genDecode);
                decodeVsPyTorch.Add(pyDecode / genDecode);
                decodeRows.Add(subject.Model, size.Name, DecodeTokens.ToString(CultureInfo.InvariantCulture), sameGenerated, sameHandWritten,
                    Rate(genDecode * 1000, genDecodeSetting, 3), Rate(hwDecode * 1000, hwDecodeSetting, 3), Rate(pyDecode * 1000, pyDecodeSetting, 3),
                    F(hwDecode / genDecode, 2), F(pyDecode / genDecode, 2), F(pyDecode / hwDecode, 2));
            }
            set_num_threads(CSharpThreads[0]);
        }
        finally
        {
            foreach (var side in pytorch) side.Dispose();
        }
    }
}
finally
{
    foreach (var worker in workers) worker.Dispose();
    Directory.Delete(scratch, recursive: true);
}

Console.WriteLine($"Training and decoding, CPU; best of {rounds} alternating rounds over every side and thread setting; load average at the start {loadAtStart}, at the end {Machine.LoadAverage()}.");
Console.WriteLine($"gen (generated by Composer) and TS (hand-written TorchSharp): TorchSharp 0.107 on libtorch {__version__}, in this process, torch threads {string.Join(" and ", CSharpThreads)}.");
Console.WriteLine("Py: PyTorch 1.13 eager (Debian's libtorch, a different build), torch threads × OpenBLAS threads 1×2 and 2×1, one worker each");
Console.WriteLine("    (" + string.Join("; ", workerSettings) + ").");
Console.WriteLine("Each figure is its side's best thread setting, named in parentheses (C#: torch threads; Py: torch × OpenBLAS threads).");
Console.WriteLine("(a) C=128, 4 layers, 4 heads, kernel 7, B=8, T=128;  (b) C=256, 6 layers, 8 heads, kernels 3,7,15,31,31,31, B=8, T=256.");
Console.WriteLine($"An update: forward, label-smoothed ({LabelSmoothing}) cross-entropy, backward, clip at {ClipNorm}, AdamW; residual dropout {ResidualDropout}.");
Console.WriteLine("tok/s counts the tokens processed, B×T per update. loss: evaluation-mode loss of the shared initial weights on the shared batch, by each side.");
Console.WriteLine("Ratios of tokens/s: gen÷TS = generated ÷ hand-written (above 1 = generated faster), likewise gen÷Py and TS÷Py.");
Console.WriteLine();
trainRows.Print();
Console.WriteLine();
Console.WriteLine($"Greedy decoding through the incremental step, B = 1, configuration ({DecodeSize}); same: leading tokens a side generates");
Console.WriteLine("as PyTorch does from the shared initial weights. Ratios of ms/token: TS÷gen = hand-written ÷ generated (above 1 = generated faster).");
decodeRows.Print();
Console.WriteLine();
Console.WriteLine($"RESULT train_vs_torchsharp_a {MinRatioAt(trainVsTorchSharp, "a")}");
Console.WriteLine($"RESULT train_vs_torchsharp_b {MinRatioAt(trainVsTorchSharp, "b")}");
Console.WriteLine($"RESULT decode_vs_torchsharp {MinRatio(decodeVsTorchSharp)}");
Console.WriteLine($"RESULT train_vs_pytorch_a {MinRatioAt(trainVsPyTorch, "a")}");
Console.WriteLine($"RESULT train_vs_pytorch_b {MinRatioAt(trainVsPyTorch, "b")}");
Console.WriteLine($"RESULT decode_vs_pytorch {MinRatio(decodeVsPyTorch)}");

// The hand-written model of a subject with fresh (TorchSharp-initialised) weights.
static DecoderLm Build(Subject subject, Config size) => subject.Mixer == "attention"
    ? TransformerLm.Create(Vocabulary, size.Width, size.Heads, size.Kernels.Length, size.Length, subject.Tied, ResidualDropout)
    : LightConvLm.Create(Vocabulary, size.Width, size.Heads, size.Kernels, size.Length, ResidualDropout);

static DecoderLm LoadedModel(Subject subject, Config size, IReadOnlyDictionary<string, Tensor> weights)
{
    var model = Build(subject, size);
    GeneratedWeights.Load(model, weights);
    return model;
}

// The generated model of a subject (Models.cs), freshly initialised.
static nn.Module NewGenerated(Subject subject) => (subject.Model, subject.Size) switch
{
    ("TransformerLm", "a") => new TransformerA(),
    ("LightConvLm", "a") => new LightConvA(),
    ("TransformerLm", "b") => new TransformerB(),
    ("LightConvLm", "b") => new LightConvB(),
    _ => throw new ArgumentException($"no generated model for {subject.Id}", nameof(subject)),
};

// How many leading greedy tokens a side shares with PyTorch's; a difference must be a near-tie that
// rounding broke the other way (judged on the hand-written model's logits), not a different model.
static string SameTokens(Subject subject, string side, long[] ours, long[] reference, HandWrittenRun judge)
{
    int agreeing = Agreeing(ours, reference);
    string same = $"{agreeing}/{DecodeTokens}";
    if (agreeing == DecodeTokens) return same;
    long[] inputs = [0, .. reference[..agreeing]];
    double gap = judge.RelativeLogitGap(inputs, ours[agreeing], reference[agreeing]);
    if (gap > NearTie)
        throw new InvalidOperationException($"{subject.Id}: greedy decoding by the {side} model chose token {ours[agreeing]} at step {agreeing}, where PyTorch chose {reference[agreeing]}, and their logits differ by {gap:G3} of the largest; the two decode differently");
    return same + " (near-tie)";
}

// Per side, the least of `measure` over `rounds` rounds and the setting it came from; a round
// measures every entrant once, in order.
static Dictionary<string, (double Best, string Setting)> Best(IReadOnlyList<Entrant> entrants, int rounds, Func<ISide, double> measure)
{
    var best = Enumerable.Repeat(double.MaxValue, entrants.Count).ToArray();
    for (int round = 0; round < rounds; round++)
        for (int i = 0; i < entrants.Count; i++)
            best[i] = Math.Min(best[i], entrants[i].Measure(measure));
    return entrants.Select((e, i) => (e, best: best[i])).GroupBy(x => x.e.Side)
        .ToDictionary(g => g.Key, g => g.MinBy(x => x.best) is var w ? (w.best, w.e.Setting) : default);
}

static int Agreeing(long[] ours, long[] theirs)
{
    int n = 0;
    while (n < ours.Length && n < theirs.Length && ours[n] == theirs[n]) n++;
    return n;
}

static string MinRatio(IEnumerable<double> ratios) => F(ratios.Min(), 2);

static string MinRatioAt(Dictionary<string, List<double>> ratios, string size) => MinRatio(ratios[size]);

// A figure with the thread setting it was measured under.
static string Rate(double v, string setting, int decimals = 0) => $"{F(v, decimals)} ({setting})";

static string F(double? v, int decimals) =>
    v is double d ? d.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "—";
