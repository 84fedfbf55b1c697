// bench/run mixers — forward + backward time of every token mixer at C = 256, B = 1 on the CPU, for
// T = 512 … 4096: against softmax attention (how much a cheaper mixer saves) and against the repo's
// PyTorch reference of the same mixer (tests/reference/composer_reference), run by a Python worker with
// the same threads and BLAS settings. Composer and PyTorch runs alternate, so machine noise hits both
// sides alike, and several passes over all configurations spread each one's samples over the whole
// run; each figure is the best of its samples.
//
// The catalogue below names every mixer of issue 3 by its runtime class; a mixer whose class is not in
// Composer.Runtime yet is listed as missing and measured as soon as it lands, with no change here.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Composer.Bench;
using Composer.Layers;
using Composer.Mixers;
using TorchSharp;
using static Settings;
using static TorchSharp.torch;

long[] lengths = [512, 1024, 2048, 4096];

// bench/run mixers [PASSES] [KEY …]: more passes on a noisy machine; keys restrict the run to some
// mixers (softmax attention is always measured; the RESULT lines need lightconv and linear).
// COMPOSER_BENCH_THREADS=1 runs both sides on one thread (see Settings.Threads).
int passes = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int r) ? r : 3;
string[] only = args.Where(a => !int.TryParse(a, CultureInfo.InvariantCulture, out _)).ToArray();

MixerRow[] catalogue =
[
    new("attention", "SelfAttention", "attention.SelfAttention(C, H, causal=causal)"),
    new("sparsemax", "SparsemaxAttention", "attention.SparsemaxAttention(C, H, causal=causal)"),
    new("local", "LocalAttention", "attention.LocalAttention(C, H, 128, causal=causal)", new() { ["Window"] = 128 }),
    new("lightconv", "LightweightConvolution", "convolution.LightweightConvolution(C, H, K, causal=causal)"),
    new("dynamicconv", "DynamicConvolution", "convolution.DynamicConvolution(C, H, K, causal=causal)"),
    new("linear", "LinearAttention", "linear.LinearAttention(C, H, causal=causal)"),
    new("taylor", "TaylorAttention", "linear.TaylorAttention(C, H, causal=causal)"),
    new("constant", "ConstantAttention", "position.ConstantAttention(C, H, T, causal=causal)"),
    new("synthesizer", "SynthesizerAttention", "position.SynthesizerAttention(C, H, T, causal=causal)"),
    new("linformer", "Linformer", "position.Linformer(C, H, T, 256)", new() { ["ProjectedLength"] = 256 }),
    new("recurrent", "RecurrentMixer", "recurrent.RecurrentMixer(C, causal=causal)"),
];

set_num_threads(Threads);
manual_seed(0);
string references = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../tests/reference"));
using var python = new PythonWorker(Path.Combine(AppContext.BaseDirectory, "mixers.py"), "/usr/bin/python3",
    references, Threads.ToString(CultureInfo.InvariantCulture));

var available = catalogue.Where(m => m.RuntimeType is not null && (only.Length == 0 || m.Key == "attention" || only.Contains(m.Key))).ToArray();
var missing = catalogue.Where(m => m.RuntimeType is null).Select(m => m.Class).ToArray();
if (available.All(m => m.Key != "attention"))
    throw new InvalidOperationException("Composer.Mixers.SelfAttention is missing: the benchmark compares every mixer with it");

// Decoder mode (causal) for every mixer that can run in a decoder, encoder mode for those that cannot.
// Each pass measures every (mixer, T) in turn for a few rounds, building it before and releasing it
// after (position-indexed mixers hold T² weights, attention T² activations); the best over all passes
// spreads each configuration's samples over the whole run.
var times = new Dictionary<(string Key, long T), (double Composer, double PyTorch, string Note)>();
for (int pass = 0; pass < passes; pass++)
{
    foreach (long t in lengths)
    {
        foreach (var row in available)
        {
            using var configuration = new Configuration(row, t, python.Request);
            for (int round = 0; round < RoundsPerPass; round++) configuration.Sample();
            var (composer, pytorch, _) = times.GetValueOrDefault((row.Key, t), (double.MaxValue, configuration.PyTorch, ""));
            times[(row.Key, t)] = (Math.Min(composer, configuration.Composer), Math.Min(pytorch, configuration.PyTorch), configuration.Note);
        }
    }
    Console.Error.WriteLine($"pass {pass + 1}/{passes} done, load average {Machine.LoadAverage()}");
}

Console.WriteLine($"Mixer forward + backward, CPU, B = 1, C = {Width}, H = {Heads}, K = {Kernel}; best of {passes} passes × {RoundsPerPass} rounds (runs under {SecondsPerRound} s repeated within a round);");
Console.WriteLine($"torch threads {Threads} on both sides (Composer: TorchSharp {typeof(torch).Assembly.GetName().Version} on libtorch {__version__}; PyTorch {PythonTorchVersion()} from /usr/bin/python3),");
Console.WriteLine($"OPENBLAS_NUM_THREADS={Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS") ?? "(unset)"} (PyTorch's BLAS; libtorch {__version__} runs its products on its own {Threads} threads);");
Console.WriteLine($"wall-clock time; load average at the end {Machine.LoadAverage()}.");
Console.WriteLine("Decoder (causal) mode for causal-capable mixers, encoder mode otherwise; no padding.");
Console.WriteLine("vs attention = softmax attention's Composer time / this mixer's; vs PyTorch = Composer time / reference time (below 1 = Composer faster).");
var table = new Table("mixer", "mode", "T", "Composer ms", "PyTorch ms", "vs attention", "vs PyTorch", "note");
foreach (var mixer in available)
{
    foreach (long t in lengths)
    {
        var (composer, pytorch, note) = times[(mixer.Key, t)];
        double attention = times[("attention", t)].Composer;
        table.Add(mixer.Key, mixer.Causal ? "decoder" : "encoder", t.ToString(CultureInfo.InvariantCulture), Ms(composer), Ms(pytorch),
            F(attention / composer), double.IsNaN(pytorch) ? "-" : F(composer / pytorch), note);
    }
}
table.Print();
if (missing.Length > 0) Console.WriteLine($"Not in Composer.Runtime yet (measured once they land): {string.Join(", ", missing)}.");
Console.WriteLine();

if (available.Any(m => m.Key == "lightconv") && available.Any(m => m.Key == "linear")) PrintResults();

void PrintResults()
{
    double Speedup(string key) => times[("attention", 4096)].Composer / times[(key, 4096)].Composer;
    double Growth(string key) => times[(key, 4096)].Composer / times[(key, 512)].Composer;
    var ratios = times.Where(kv => !double.IsNaN(kv.Value.PyTorch)).Select(kv => (kv.Key, Ratio: kv.Value.Composer / kv.Value.PyTorch)).ToArray();
    var worst = ratios.MaxBy(r => r.Ratio);
    Console.WriteLine($"worst vs PyTorch: {worst.Key.Key} at T={worst.Key.T}");
    Console.WriteLine($"RESULT lightconv_speedup_4096 {F(Speedup("lightconv"))}");
    Console.WriteLine($"RESULT linear_speedup_4096 {F(Speedup("linear"))}");
    Console.WriteLine($"RESULT lightconv_growth {F(Growth("lightconv"))}");
    Console.WriteLine($"RESULT linear_growth {F(Growth("linear"))}");
    Console.WriteLine($"RESULT worst_vs_reference {F(worst.Ratio)}");
}


// The reference side's PyTorch version, asked of the same interpreter the worker runs.
static string PythonTorchVersion()
{
    var start = new ProcessStartInfo("/usr/bin/python3", ["-c", "import torch; print(torch.__version__)"]) { RedirectStandardOutput = true, UseShellExecute = false };
    using var process = Process.Start(start);
    string? version = process?.StandardOutput.ReadLine();
    process?.WaitForExit();
    return string.IsNullOrWhiteSpace(version) ? "(unknown version)" : version.Trim();
}

static string Ms(double seconds) => double.IsNaN(seconds) ? "-" : (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture);

static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

/// <summary>
/// A mixer of the catalogue: its key in the table and RESULT lines, its Composer.Mixers class (found by
/// name, so the benchmark compiles before every mixer exists), the Python expression that builds its
/// reference, and the option values it needs beyond its options record's defaults.
/// </summary>
internal sealed record MixerRow(string Key, string Class, string Python, Dictionary<string, object>? Options = null)
{
    /// <summary>The runtime class, or null when it has not landed yet.</summary>
    public Type? RuntimeType { get; } = typeof(IMixer).Assembly.GetType("Composer.Mixers." + Class);

    /// <summary>Decoder mode when the mixer can run causally (its [MixerFacts]), encoder mode otherwise.</summary>
    public bool Causal => RuntimeType?.GetCustomAttribute<MixerFactsAttribute>()?.CausalCapable ?? false;

    /// <summary>Builds the mixer through its public (MixerContext, XOptions) constructor.</summary>
    public nn.Module Create(MixerContext context)
    {
        var constructor = RuntimeType!.GetConstructors().Single(c => c.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(MixerContext));
        var optionsType = constructor.GetParameters()[1].ParameterType;
        var optionsConstructor = optionsType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var values = optionsConstructor.GetParameters()
            .Select(p => Options is not null && Options.TryGetValue(p.Name!, out var v) ? v : p.HasDefaultValue ? p.DefaultValue
                : throw new InvalidOperationException($"{optionsType.Name}.{p.Name} has no default; give it in the catalogue"))
            .ToArray();
        return (nn.Module)constructor.Invoke([context, optionsConstructor.Invoke(values)]);
    }
}

/// <summary>
/// One (mixer, T): the Composer module and input, the same built by the Python worker, and the best
/// time of each side so far.
/// </summary>
internal sealed class Configuration : IDisposable
{
    private static int s_next;
    private readonly string _id = (s_next++).ToString(CultureInfo.InvariantCulture);
    private readonly nn.Module _module;
    private readonly Tensor _x;
    private readonly Func<string, string> _python;
    private readonly bool _reference;
    private readonly int _repeats;

    public Configuration(MixerRow row, long t, Func<string, string> python)
    {
        (Row, T, _python) = (row, t, python);
        var context = new MixerContext(ModuleContext.Cpu, Width, Heads, Kernel, MaxLength: (int)t, Causal: row.Causal);
        _module = row.Create(context);
        _x = randn(1, t, Width).requires_grad_().DetachFromDisposeScope();
        string setup = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["expression"] = row.Python, ["C"] = Width, ["H"] = Heads, ["K"] = Kernel, ["T"] = t, ["causal"] = row.Causal,
        });
        string answer = python($"setup {_id} {setup}");
        _reference = answer == "ok";
        Note = _reference ? "" : "no PyTorch reference: " + answer;
        PyTorch = _reference ? double.MaxValue : double.NaN;
        // One untimed run on each side (first-touch allocations, lazy initialisation), which also
        // tells how many runs fit in a round.
        double first = RunComposer();
        if (_reference) RunPyTorch();
        _repeats = (int)Math.Clamp(SecondsPerRound / first, 1, 10);
    }

    public MixerRow Row { get; }
    public long T { get; }
    public double Composer { get; private set; } = double.MaxValue;
    public double PyTorch { get; private set; }
    public string Note { get; }

    /// <summary>One round: the configured number of runs on each side, back to back.</summary>
    public void Sample()
    {
        for (int i = 0; i < _repeats; i++)
        {
            Composer = Math.Min(Composer, RunComposer());
            if (_reference) PyTorch = Math.Min(PyTorch, RunPyTorch());
        }
    }

    /// <summary>Releases both sides' module and input.</summary>
    public void Dispose()
    {
        _module.Dispose();
        _x.Dispose();
        _python($"drop {_id}");
    }

    private double RunPyTorch() => double.Parse(_python($"run {_id}"), CultureInfo.InvariantCulture);

    private double RunComposer()
    {
        var watch = Stopwatch.StartNew();
        using (NewDisposeScope())
        {
            ((IMixer)_module).forward(_x, null).sum().backward();
        }
        double seconds = watch.Elapsed.TotalSeconds;
        // Fresh gradients each run, as on the PyTorch side, and no T² gradients held between runs.
        _module.zero_grad(set_to_none: true);
        using (var grad = _x.grad) _x.grad = null;
        return seconds;
    }
}

/// <summary>The benchmark's fixed settings.</summary>
internal static class Settings
{
    public const int Width = 256, Heads = 8, Kernel = 31, RoundsPerPass = 3;

    /// <summary>
    /// Torch threads on both sides: 2 (with OPENBLAS_NUM_THREADS=1, 2 × 1 fills the 2-core machine), or
    /// COMPOSER_BENCH_THREADS. On a machine shared with other work, 1 keeps the figures meaningful: a 2-thread
    /// op then waits for its second thread to be scheduled, which turned 0.15 ms recurrent steps into 1-7 ms.
    /// </summary>
    public static readonly int Threads = int.TryParse(Environment.GetEnvironmentVariable("COMPOSER_BENCH_THREADS"), out int t) && t is 1 or 2 ? t : 2;

    /// <summary>
    /// A run shorter than this is repeated within a round, so cheap configurations get as many chances
    /// at a quiet moment of a shared machine as expensive ones.
    /// </summary>
    public const double SecondsPerRound = 0.25;
}
