// bench/run autograd — why each C# autograd function of Composer.Mixers exists (or does not): forward +
// backward time of the custom function against the alternatives on libtorch 2.10, at the mixers
// benchmark's width (C = 256, H = 8, K = 31), interleaved and best of several rounds.
//
//   depthwise conv1d (lightweight convolution): DepthwiseConvolution (channels-last on the (B, T, C) layout,
//       backward made of convolutions as in the retired shim) vs conv1d on (B, C, T) with libtorch's own
//       backward vs the same with the kernel gradient as one matrix product per head vs banded matrix
//       products throughout;
//   sparsemax (sparsemax attention): Sparsemax.Apply (partial sort, closed-form backward) vs autograd
//       through sort, cumsum and gather;
//   GRU (recurrent mixer): RecurrentSequence (written-out BPTT) vs libtorch's GRU;
//   LSTM (recurrent mixer): libtorch's LSTM, which the mixer runs, vs the same written-out BPTT in C#.
//
// COMPOSER_BENCH_THREADS sets torch threads (default 2); bench/run sets OPENBLAS_NUM_THREADS=1.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Composer;
using Composer.Bench;
using Composer.Mixers;
using TorchSharp;
using static TorchSharp.torch;

int threads = int.TryParse(Environment.GetEnvironmentVariable("COMPOSER_BENCH_THREADS"), out int n) && n is 1 or 2 ? n : 2;
set_num_threads(threads);
manual_seed(0);
Console.WriteLine($"Forward + backward, CPU, best of {Rounds.Count} interleaved rounds; torch threads {threads}; libtorch {__version__}; load average {Machine.LoadAverage()}.");
var table = new Table("function", "shape", "candidate", "ms", "vs chosen");

foreach (var (b, t) in new (long, long)[] { (1, 512), (8, 512), (1, 4096) })
{
    long c = 256, heads = 8, k = 31;
    var h = randn(b, t, c).requires_grad_();
    var kernels = randn(heads, k).requires_grad_();
    var up = randn(b, t, c);
    Tensor Input() => nn.functional.pad(h.transpose(1, 2), [k - 1, 0]);
    Tensor Weight() => kernels.unsqueeze(1).expand(heads, c / heads, k).reshape(c, 1, k);
    Rounds.Compare(table, "depthwise conv1d", $"B={b} T={t} C={c} K={k}", [
        ("DepthwiseConvolution (chosen)", () => Loss(DepthwiseConvolution.Apply(nn.functional.pad(h, [0, 0, k - 1, 0]), Weight()), up)),
        ("conv1d, libtorch backward", () => Loss(nn.functional.conv1d(Input(), Weight(), groups: c).transpose(1, 2), up)),
        ("conv1d, kernel gradient by matrix products", () => Loss(Alternatives.GemmKernelGradient.apply(Input(), kernels).transpose(1, 2), up)),
        ("banded products, autograd", () => Loss(Alternatives.Banded(h, kernels, (int)k - 1), up)),
    ], () => { h.grad?.zero_(); kernels.grad?.zero_(); });
}

foreach (long t in new long[] { 128, 512, 1024 })
{
    var z = randn(1, 8, t, t) * 2;
    z.masked_fill_(ones(t, t, ScalarType.Bool).triu(1), float.MinValue / 2);
    z.requires_grad_();
    var up = randn(1, 8, t, t);
    Rounds.Compare(table, "sparsemax", $"(1, 8, {t}, {t}) causal", [
        ("Sparsemax.Apply (chosen)", () => Loss(Sparsemax.Apply(z), up)),
        ("autograd through sort/cumsum/gather", () => Loss(Alternatives.ComposedSparsemax(z), up)),
    ], () => z.grad?.zero_());
}

foreach (var (b, t) in new (long, long)[] { (1, 512), (1, 2048), (8, 512) })
{
    long c = 256;
    var x = randn(b, t, c).requires_grad_();
    var up = randn(b, t, c);
    using var gru = nn.GRU(c, c, batchFirst: true);
    using var lstm = nn.LSTM(c, c, batchFirst: true);
    string[] names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"];
    var gruWeights = names.Select(name => (Tensor)gru.get_parameter(name)!).ToArray();
    var lstmWeights = names.Select(name => (Tensor)lstm.get_parameter(name)!).ToArray();
    var zero = zeros(b, c);
    Rounds.Compare(table, "GRU", $"B={b} T={t} C=H={c}", [
        ("RecurrentSequence (chosen)", () => Loss(RecurrentSequence.Run(x, zero, gruWeights), up)),
        ("libtorch GRU", () => Loss(gru.call(x, null).Item1, up)),
    ], () => { x.grad?.zero_(); gru.zero_grad(); });
    Rounds.Compare(table, "LSTM", $"B={b} T={t} C=H={c}", [
        ("libtorch LSTM (chosen)", () => Loss(lstm.call(x, null).Item1, up)),
        ("written-out BPTT in C#", () => Loss(Alternatives.LstmFunction.apply(x, zero, zero, lstmWeights[0], lstmWeights[1], lstmWeights[2], lstmWeights[3]), up)),
    ], () => { x.grad?.zero_(); lstm.zero_grad(); });
}
table.Print();
Console.WriteLine();
// Per function, the worst case over its shapes of (fastest alternative / chosen): above 1, the choice pays everywhere measured.
foreach (var (function, ratio) in Rounds.Worst)
    Console.WriteLine($"RESULT {function.Replace(' ', '_')}_alternative_over_chosen {ratio.ToString("F2", CultureInfo.InvariantCulture)}");

static void Loss(Tensor y, Tensor upstream) => (y * upstream).sum().backward();

/// <summary>Interleaved timing of candidates: every round runs each once, in turn; the best round counts.</summary>
internal static class Rounds
{
    public const int Count = 5;

    /// <summary>Per function, the smallest (fastest alternative / chosen) over its shapes.</summary>
    public static readonly Dictionary<string, double> Worst = new();

    public static void Compare(Table table, string function, string shape, (string Name, Action Run)[] candidates, Action reset)
    {
        var best = new double[candidates.Length];
        Array.Fill(best, double.MaxValue);
        for (int round = -1; round < Count; round++)  // round −1 warms up, untimed
        {
            for (int i = 0; i < candidates.Length; i++)
            {
                var watch = Stopwatch.StartNew();
                using (NewDisposeScope()) candidates[i].Run();
                double ms = watch.Elapsed.TotalMilliseconds;
                reset();
                if (round >= 0) best[i] = Math.Min(best[i], ms);
            }
        }
        double alternative = best.Skip(1).Min() / best[0];
        Worst[function] = Math.Min(Worst.GetValueOrDefault(function, double.MaxValue), alternative);
        for (int i = 0; i < candidates.Length; i++)
            table.Add(function, shape, candidates[i].Name, best[i].ToString("F1", CultureInfo.InvariantCulture),
                (best[i] / best[0]).ToString("F2", CultureInfo.InvariantCulture));
    }
}
