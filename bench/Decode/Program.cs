using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Composer.Bench;
using Composer.Figures;
using Composer.Layers;
using Composer.Models;
using Composer.Samples;
using TorchSharp;
using static TorchSharp.torch;

// bench/run decode [ROUNDS] [OUT]: every language-model sample decodes MaxLength tokens greedily at B = 1,
// ROUNDS times (default 2; per position the fastest round counts), on one libtorch thread.
var invariant = CultureInfo.InvariantCulture;
int rounds = args.Length > 0 ? int.Parse(args[0], invariant) : 2;
string output = args.Length > 1 ? args[1] : Path.Combine("runs", "bench", "decode");
Directory.CreateDirectory(output);
set_num_threads(1);

ModelEntry[] samples = [TransformerLm.Entry, LightConvLm.Entry, DynamicConvLm.Entry, LinearTransformerLm.Entry, HybridLm.Entry];
Console.WriteLine($"decoding cost by position: B = 1, greedy from BOS to MaxLength, {rounds} round(s), fastest per position; TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch threads 1");
Console.WriteLine($"load average {Machine.LoadAverage()}");
Console.WriteLine();

var costs = new List<DecodingCost>();
var table = new Table("model", "mixers", "positions", "ms/token first tenth", "ms/token last tenth", "growth");
var results = new List<string>();
foreach (var entry in samples)
{
    manual_seed(1);
    using var model = entry.Create(ModuleContext.Cpu);
    var lm = (ILanguageModel)model;
    DecodingCostMeasure.Measure(lm, 32, 1);   // warm-up: first calls load kernels and allocate
    var run = DecodingCostMeasure.Measure(lm, entry.Description.MaxLength, rounds);
    var ms = run.MillisecondsPerPosition;
    int tenth = Math.Max(1, ms.Length / 10);
    double growth = DecodingCostMeasure.Growth(ms);
    string mixers = string.Join(", ", entry.Description.Layers.Select(l => l.Mixer.Split('(')[0]).Distinct());
    table.Add(entry.Description.Name, mixers, ms.Length.ToString(invariant), DecodingCostMeasure.Mean(ms, 0, tenth).ToString("F2", invariant),
        DecodingCostMeasure.Mean(ms, ms.Length - tenth, tenth).ToString("F2", invariant), growth.ToString("F2", invariant));
    results.Add(string.Create(invariant, $"RESULT decode_growth_{entry.Description.Name} {growth:F3}"));
    costs.Add(new DecodingCost(entry.Description.Name, ms));
    Console.WriteLine($"  {entry.Description.Name}: done (load average {Machine.LoadAverage()})");
}
Console.WriteLine();
table.Print();
var figure = DecodingCostFigure.Save(costs, "Decoding cost by position (B = 1, one thread)", Path.Combine(output, "decode-cost"));
File.WriteAllLines(Path.Combine(output, "decode.md"),
[
    "# Decoding cost by position",
    "",
    $"Every language-model sample decodes greedily from BOS to its MaxLength at B = 1 on one libtorch thread, {rounds} round(s), the fastest per position; load average {Machine.LoadAverage()}.",
    "Growth = mean ms/token over the last tenth of positions ÷ mean over the first tenth.",
    "",
    $"![decoding cost]({Path.GetFileName(figure.Png)}) ([SVG]({Path.GetFileName(figure.Svg)}))",
    "",
    "| model | first tenth (ms/token) | last tenth (ms/token) | growth |",
    "|---|---:|---:|---:|",
    .. costs.Select(c =>
    {
        var ms = c.MillisecondsPerToken.ToArray();
        int tenth = Math.Max(1, ms.Length / 10);
        return string.Create(invariant, $"| {c.Model} | {DecodingCostMeasure.Mean(ms, 0, tenth):F2} | {DecodingCostMeasure.Mean(ms, ms.Length - tenth, tenth):F2} | {DecodingCostMeasure.Growth(ms):F2} |");
    }),
]);
Console.WriteLine();
Console.WriteLine($"figure: {figure.Png}, {figure.Svg}; table: {Path.Combine(output, "decode.md")}");
foreach (var line in results) Console.WriteLine(line);
