// bench/run op-overhead — what one tiny op costs through Composer, against libtorch's own floor and
// against Python PyTorch on the same libtorch build. Rounds alternate between the three so machine
// noise hits all of them alike; each figure is the best of its rounds.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Composer.Bench;
using Composer.Native;
using Composer.Tensors;

const int Rounds = 9;
const long Iterations = 200_000;
Torch.Threads = 1;
using var python = new PythonWorker(Path.Combine(AppContext.BaseDirectory, "op_overhead.py"));
var table = new Table("tensor", "native floor µs", "Composer µs", "PyTorch µs", "Composer/PyTorch", "Composer−native µs");
var results = new System.Collections.Generic.Dictionary<string, double>();

foreach (var n in new[] { 1, 64 })
{
    using var scope = new TensorScope();
    var a = n == 1 ? Torch.Rand(1) : Torch.Rand(n, n);
    var b = n == 1 ? Torch.Rand(1) : Torch.Rand(n, n);
    double native = double.MaxValue, managed = double.MaxValue, py = double.MaxValue;
    for (int round = 0; round < Rounds; round++)
    {
        native = Math.Min(native, NativeMethods.cmp_bench_add_loop(a.Handle, b.Handle, Iterations) / 1000.0 / Iterations);
        managed = Math.Min(managed, ManagedLoop(a, b, Iterations));
        py = Math.Min(py, python.Ask($"add {n} {Iterations}"));
    }
    string shape = n == 1 ? "1 element" : $"{n}×{n}";
    table.Add(shape, F(native), F(managed), F(py), F(managed / py), F(managed - native));
    if (n == 1)
    {
        results["native_op_us_1"] = native;
        results["op_us_1"] = managed;
        results["python_op_us_1"] = py;
        results["op_ratio_1"] = managed / py;
        results["op_overhead_us_1"] = managed - native;
    }
}

Console.WriteLine($"a + b, result released each iteration; best of {Rounds} alternating rounds × {Iterations:N0} ops; torch threads 1; libtorch {Torch.Version}");
table.Print();
Console.WriteLine();
foreach (var (key, value) in results) Console.WriteLine($"RESULT {key} {F(value)}");

static double ManagedLoop(Tensor a, Tensor b, long iterations)
{
    var watch = Stopwatch.StartNew();
    for (long i = 0; i < iterations; i++)
    {
        var c = a + b;
        c.Dispose();
    }
    return watch.Elapsed.TotalMicroseconds / iterations;
}

static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
