// bench/run memory — peak memory of training steps of the same language model at depth 3 and depth 12,
// with and without reversible residual blocks (MIXERS.md §9).
//
// What is measured: libtorch's CPU allocator keeps no statistics TorchSharp can read, so each
// configuration runs in a process of its own and the kernel's count is used: the resident set. Before
// the training steps the process has its model, its AdamW moments and its batch; it then resets the
// kernel's high-water mark (/proc/self/clear_refs, 5) and runs the steps, and the high-water mark
// (VmHWM) minus the resident set just before is the memory the training steps added: activations kept
// for the backward pass, gradients and temporaries. One warm-up step of a small model comes before the
// measurement, so libtorch's one-time set-up (thread pools, the autograd engine, kernels' first use) is
// not counted as a training step's.
//
// The resident set counts what the allocator holds, not only what tensors hold, so every configuration
// runs under two settings of glibc's malloc (libtorch allocates CPU tensors with it):
// - "mapped": every block of 64 KiB or more is its own mapping, returned to the kernel when freed, so the
//   resident set follows the bytes live tensors hold. The RESULT lines use this one.
// - "heap": bench/run's setting for timing (no trimming, everything below 1 GiB on the heap), where freed
//   blocks stay resident and the heap grows whenever no freed hole fits, so fragmentation counts too.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Composer.Bench;
using Composer.Bench.Memory;
using Composer.Data;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

const int Batch = 8, Length = 512, Steps = 3, Threads = 1;
Configuration[] configurations =
[
    new("PlainLm3", Depth: 3, Reversible: false),
    new("PlainLm12", Depth: 12, Reversible: false),
    new("ReversibleLm3", Depth: 3, Reversible: true),
    new("ReversibleLm12", Depth: 12, Reversible: true),
];

if (args is ["--measure", var name])
{
    var configuration = configurations.SingleOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"no configuration named {name}; known: {string.Join(", ", configurations.Select(c => c.Name))}");
    Console.WriteLine(MeasuredLine(configuration));
    return 0;
}
if (args.Length > 0)
{
    Console.Error.WriteLine("usage: bench/run memory   (no arguments; each configuration runs in a child process of its own)");
    return 2;
}

string loadAtStart = Machine.LoadAverage();
var results = new Dictionary<(string Model, Allocator Allocator), Measurement>();
foreach (var allocator in Allocator.All)
    foreach (var configuration in configurations)
    {
        Console.Error.WriteLine($"{configuration.Name}, {allocator.Name} allocation: measuring in a fresh process");
        results[(configuration.Name, allocator)] = RunChild(configuration.Name, allocator);
    }

long Added(string model, Allocator allocator) => results[(model, allocator)].PeakRss - results[(model, allocator)].RssBefore;
double Growth(string deep, string shallow, Allocator allocator) => (double)Added(deep, allocator) / Added(shallow, allocator);

var table = new Table("model", "depth", "reversible", "params", "malloc", "RSS before MiB", "peak RSS MiB", "steps add MiB", "loss first", "loss last", "s/step");
foreach (var allocator in Allocator.All)
    foreach (var c in configurations)
    {
        var m = results[(c.Name, allocator)];
        table.Add(c.Name, c.Depth.ToString(CultureInfo.InvariantCulture), c.Reversible ? "yes" : "no", m.Parameters.ToString("N0", CultureInfo.InvariantCulture),
            allocator.Name, Mib(m.RssBefore), Mib(m.PeakRss), Mib(m.PeakRss - m.RssBefore), F(m.FirstLoss, 4), F(m.LastLoss, 4), F(m.SecondsPerStep, 2));
    }

Console.WriteLine($"Peak memory of training steps, CPU, libtorch {__version__}, {Threads} torch thread; load average at the start {loadAtStart}, at the end {Machine.LoadAverage()}.");
Console.WriteLine($"Language models of Models.cs: softmax attention, C = 64, 4 heads, feed-forward 256, residual dropout 0.1; B = {Batch}, T = {Length};");
Console.WriteLine($"{Steps} training steps each (forward, cross-entropy, backward, clip at 1, AdamW), after one warm-up step of a small model.");
Console.WriteLine("Each configuration runs in a process of its own. RSS before: resident set with the model, its AdamW moments and the batch;");
Console.WriteLine("peak RSS: the kernel's high-water mark (VmHWM) over the steps, reset just before them; steps add = peak − before:");
Console.WriteLine("activations kept for backward, gradients and temporaries (libtorch's CPU allocator has no statistics to read).");
foreach (var allocator in Allocator.All) Console.WriteLine($"malloc {allocator.Name}: {allocator.Description}.");
Console.WriteLine();
table.Print();
Console.WriteLine();
foreach (var allocator in Allocator.All)
    Console.WriteLine($"What the steps add, depth 12 ÷ depth 3, malloc {allocator.Name}: reversible {F(Growth("ReversibleLm12", "ReversibleLm3", allocator), 3)}, plain {F(Growth("PlainLm12", "PlainLm3", allocator), 3)}.");
Console.WriteLine($"RESULT lines: what the steps add, depth 12 ÷ depth 3, malloc {Allocator.Mapped.Name} (the bytes live tensors hold).");
Console.WriteLine($"RESULT reversible_memory_growth {F(Growth("ReversibleLm12", "ReversibleLm3", Allocator.Mapped), 3)}");
Console.WriteLine($"RESULT plain_memory_growth {F(Growth("PlainLm12", "PlainLm3", Allocator.Mapped), 3)}");
return 0;

// Runs this program again on one configuration and reads its one line of figures.
static Measurement RunChild(string name, Allocator allocator)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
    // glibc reads these when the process starts, so they are the child's.
    foreach (var (key, value) in allocator.Environment) start.Environment[key] = value;
    // Under `dotnet Composer.Bench.Memory.dll` the process is dotnet and the assembly its first argument.
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(Measurement).Assembly.Location);
    start.ArgumentList.Add("--measure");
    start.ArgumentList.Add(name);
    using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start the measurement of {name}");
    string output = child.StandardOutput.ReadToEnd();
    child.WaitForExit();
    if (child.ExitCode != 0) throw new InvalidOperationException($"the measurement of {name} ({allocator.Name} allocation) failed (exit code {child.ExitCode}); its error output is above");
    return Measurement.Parse(output.Trim().Split('\n').Last());
}

// In the child: warm up, build the configuration's model, and measure its training steps.
static string MeasuredLine(Configuration configuration)
{
    set_num_threads(Threads);
    manual_seed(1);
    using (var warmUp = new PlainLm3())
    using (var tokens = randint(0, 256, [1, 17]))
        Train(warmUp, tokens, 1);
    GC.Collect();
    GC.WaitForPendingFinalizers();

    manual_seed(2);
    using var model = configuration.Create();
    using var batchTokens = randint(0, 256, [Batch, Length + 1]);
    long parameters = model.parameters().Sum(p => p.numel());
    GC.Collect();
    GC.WaitForPendingFinalizers();
    // The moments are made when the optimizer is, so they count as "before"; Train makes its own, so
    // the high-water mark is reset after that, inside Train.
    var (losses, seconds, rssBefore, peak) = Train(model, batchTokens, Steps);
    return Measurement.Format(new Measurement(parameters, rssBefore, peak, losses[0], losses[^1], seconds / Steps));
}

// Steps of training on tokens (B, T + 1): the runtime's objective, clipping and AdamW, as Trainer runs them.
// Returns the losses, the seconds, the resident set just before the first step and the high-water mark over the steps.
static (double[] Losses, double Seconds, long RssBefore, long PeakRss) Train(nn.Module model, Tensor tokens, int steps)
{
    model.train();
    var objective = Objective.For(model);
    using var optimizer = new AdamW(model, 0.9, 0.98, 1e-8, 0.01);
    var parameters = model.parameters().ToArray();
    long b = tokens.shape[0], t = tokens.shape[1] - 1;
    using var batch = new Batch(tokens.narrow(1, 0, t).contiguous(), null, tokens.narrow(1, 1, t).contiguous(), null, null, b * t, b * t);
    var losses = new double[steps];
    GC.Collect();
    GC.WaitForPendingFinalizers();
    long before = ResidentSet.Current();
    ResidentSet.ResetPeak();
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < steps; i++)
    {
        using var scope = NewDisposeScope();
        var terms = objective.Compute(batch);
        (terms.Loss / terms.Targets).backward();
        losses[i] = terms.Loss.ToDouble() / terms.Targets;
        double norm = GradientClipping.ClipGradNorm(parameters, 1.0);
        if (!double.IsFinite(losses[i]) || !double.IsFinite(norm))
            throw new InvalidOperationException($"training diverged (loss {losses[i]}, gradient norm {norm}); the figures would mean nothing");
        optimizer.Step(1e-3);
        optimizer.ZeroGrad();
    }
    double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    return (losses, seconds, before, ResidentSet.Peak());
}

static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

static string F(double v, int decimals) => v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
