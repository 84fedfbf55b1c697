// bench/run parallel [ROUNDS] [UPDATES] — data-parallel training throughput at configuration (b) of
// bench/run training (C = 256, 6 layers, 8 heads, B = 8 windows of T = 256 tokens; the Transformer and
// the lightweight convolution), trained by Composer's own `train` command as a user runs it:
//   1×2: one process with 2 torch threads;
//   2×1: `mpiexec.mpich -np 2`, two ranks with 1 torch thread each, every batch split 4 + 4.
// Throughput is tokens/s over the updates after the first two (first-touch allocations, lazy
// initialisation), from the run's metrics.jsonl; the all-reduce share is rank 0's time in the
// gradient all-reduce (copies into and out of the buckets, and any wait for the other rank, included)
// over the same updates' wall time. Rounds alternate between the settings; each figure is the best round.
//
// This executable is also the training executable it starts: `Composer.Bench.Parallel train …`.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Composer.Bench;
using Composer.Bench.Training;
using Composer.Cli;

if (args.Length > 0 && args[0] is "train" or "--help" or "-h")
    return TrainingProgram.Run(args, TransformerB.Entry, LightConvB.Entry);

int rounds = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int r) && r > 0 ? r : 2;
int updates = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int u) && u > 2 ? u : 8;
const int Skipped = 2, Window = 256, Rows = 8;
string[] models = ["TransformerB", "LightConvB"];
string loadAtStart = Machine.LoadAverage();
string self = Path.Combine(AppContext.BaseDirectory, "Composer.Bench.Parallel.dll");
string scratch = Directory.CreateTempSubdirectory("composer-bench-parallel-").FullName;
try
{
    // Text of 120 KB: words from a small vocabulary, so the byte-level model has something to learn.
    var random = new Random(1);
    string[] words = "the of and to in is was that for on with as by at from his her they which be this are have had not but".Split(' ');
    var text = new StringBuilder();
    while (text.Length < 120_000)
        text.AppendLine(string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[random.Next(words.Length)])));
    string corpus = Path.Combine(scratch, "corpus.txt");
    File.WriteAllText(corpus, text.ToString());

    var best = new Dictionary<(string Model, string Setting), Measurement>();
    int run = 0;
    for (int round = 0; round < rounds; round++)
        foreach (string model in models)
            foreach (string setting in new[] { "1×2", "2×1" })
            {
                string folder = Path.Combine(scratch, $"run{run++}");
                var m = Train(model, setting, folder);
                Console.Error.WriteLine($"round {round + 1}/{rounds} {model} {setting}: {m.TokensPerSecond:F0} tok/s, all-reduce {m.AllReduceShare:P1}");
                if (!best.TryGetValue((model, setting), out var b) || m.TokensPerSecond > b.TokensPerSecond) best[(model, setting)] = m;
            }

    var table = new Table("model", "B×T", "1×2 tok/s", "2×1 tok/s", "speedup 2×1 ÷ 1×2", "all-reduce ms/update", "update ms (2×1)", "all-reduce share");
    var speedups = new List<double>();
    var shares = new List<double>();
    foreach (string model in models)
    {
        var one = best[(model, "1×2")];
        var two = best[(model, "2×1")];
        double speedup = two.TokensPerSecond / one.TokensPerSecond;
        speedups.Add(speedup);
        shares.Add(two.AllReduceShare);
        table.Add(model, $"{Rows}×{Window}", F(one.TokensPerSecond, 0), F(two.TokensPerSecond, 0), F(speedup, 2),
            F(two.AllReduceSeconds * 1000, 1), F(two.UpdateSeconds * 1000, 0), F(two.AllReduceShare * 100, 1) + " %");
    }

    Console.WriteLine($"Data-parallel training, CPU, configuration (b) of bench/run training; best of {rounds} alternating rounds, {updates - Skipped} timed updates each (after {Skipped} untimed).");
    Console.WriteLine($"Load average at the start {loadAtStart}, at the end {Machine.LoadAverage()}; {Environment.ProcessorCount} cores.");
    Console.WriteLine("1×2: one process, 2 torch threads. 2×1: mpiexec.mpich -np 2 on this machine (loopback), 1 torch thread per rank, 4 of the 8 windows each.");
    Console.WriteLine("Both run `train` with label smoothing 0.1, clip 1, AdamW, residual dropout 0.1; tok/s counts B×T per update.");
    Console.WriteLine("all-reduce: rank 0's time per update in the bucketed gradient all-reduce (copies and waiting for the other rank included).");
    Console.WriteLine();
    table.Print();
    Console.WriteLine();
    Console.WriteLine("parallel_speedup_2: the smaller of the two models' speedups; allreduce_share: the larger share.");
    Console.WriteLine($"RESULT parallel_speedup_2 {F(speedups.Min(), 3)}");
    Console.WriteLine($"RESULT allreduce_share {F(shares.Max(), 4)}");
    return 0;

    Measurement Train(string model, string setting, string folder)
    {
        bool parallel = setting == "2×1";
        string[] train =
        [
            "exec", self, "train", "--model", model, "--data", corpus, "--window", Window.ToString(CultureInfo.InvariantCulture),
            "--tokens-per-batch", (Rows * Window).ToString(CultureInfo.InvariantCulture), "--steps", updates.ToString(CultureInfo.InvariantCulture),
            "--eval-every", "100000", "--label-smoothing", "0.1", "--clip", "1", "--seed", "1", "--run", folder,
            "--threads", parallel ? "1" : "2",
        ];
        var start = parallel
            ? new ProcessStartInfo("mpiexec.mpich", ["-np", "2", "dotnet", .. train])
            : new ProcessStartInfo("dotnet", train);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{model} {setting} failed (exit {process.ExitCode}):\n{output.Result}\n{error.Result}");
        var steps = File.ReadLines(Path.Combine(folder, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("event").GetString() == "step").OrderBy(e => e.GetProperty("step").GetInt64()).ToArray();
        if (steps.Length != updates) throw new InvalidOperationException($"{model} {setting}: {steps.Length} updates logged, expected {updates}");
        var timed = steps[Skipped..];
        double seconds = timed[^1].GetProperty("elapsed").GetDouble() - steps[Skipped - 1].GetProperty("elapsed").GetDouble();
        long tokens = timed.Sum(e => e.GetProperty("tokens").GetInt64());
        double allReduce = parallel ? timed.Sum(e => e.GetProperty("allreduce_seconds").GetDouble()) : 0;
        if (parallel && !output.Result.Contains("data-parallel training: 2 ranks", StringComparison.Ordinal))
            throw new InvalidOperationException($"{model} {setting}: the job did not train data-parallel:\n{output.Result}");
        return new Measurement(tokens / seconds, seconds / timed.Length, allReduce / timed.Length, allReduce / seconds);
    }
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

static string F(double value, int digits) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

/// <summary>One run's figures over its timed updates.</summary>
internal sealed record Measurement(double TokensPerSecond, double UpdateSeconds, double AllReduceSeconds, double AllReduceShare);
