// bench/run op-overhead — what one tiny op costs through TorchSharp (Composer's tensor engine), against
// PyTorch 1.13 from Python (Debian's libtorch, a different build). Rounds alternate between the sides so
// machine noise hits all of them alike; each figure is the best of its rounds.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Composer.Bench;
using static TorchSharp.torch;

const int Rounds = 9;
const long Iterations = 200_000;
set_num_threads(1);
using var python = new PythonWorker(Path.Combine(AppContext.BaseDirectory, "op_overhead.py"));
var table = new Table("tensor", "TorchSharp µs", "in a scope µs", "PyTorch µs", "TorchSharp/PyTorch", "in a scope/PyTorch");
var results = new Dictionary<string, double>();

foreach (var n in new[] { 1, 64 })
{
    using var a = n == 1 ? rand(1) : rand(n, n);
    using var b = n == 1 ? rand(1) : rand(n, n);
    double managed = double.MaxValue, scoped = double.MaxValue, py = double.MaxValue;
    for (int round = 0; round < Rounds; round++)
    {
        managed = Math.Min(managed, Disposed(a, b, Iterations));
        scoped = Math.Min(scoped, Scoped(a, b, Iterations));
        py = Math.Min(py, python.Ask($"add {n} {Iterations}"));
    }
    string shape = n == 1 ? "1 element" : $"{n}×{n}";
    table.Add(shape, F(managed), F(scoped), F(py), F(managed / py), F(scoped / py));
    if (n == 1)
    {
        results["op_us_1"] = managed;
        results["op_scope_us_1"] = scoped;
        results["python_op_us_1"] = py;
        results["op_ratio_1"] = managed / py;
    }
}

Console.WriteLine($"a + b; best of {Rounds} alternating rounds × {Iterations:N0} ops; torch threads 1 on both sides; load average at the end {Machine.LoadAverage()}.");
Console.WriteLine($"TorchSharp 0.107 on libtorch {__version__}: the result disposed each iteration, or (in a scope) released by a dispose scope per");
Console.WriteLine("iteration, the pattern of Composer's loops. PyTorch 1.13 eager from Python (Debian's libtorch, a different build).");
table.Print();
Console.WriteLine();
foreach (var (key, value) in results) Console.WriteLine($"RESULT {key} {F(value)}");

// µs per op, the result disposed at once.
static double Disposed(Tensor a, Tensor b, long iterations)
{
    var watch = Stopwatch.StartNew();
    for (long i = 0; i < iterations; i++)
    {
        var c = a + b;
        c.Dispose();
    }
    return watch.Elapsed.TotalMicroseconds / iterations;
}

// µs per op, each in its own dispose scope, which releases the result when it ends.
static double Scoped(Tensor a, Tensor b, long iterations)
{
    var watch = Stopwatch.StartNew();
    for (long i = 0; i < iterations; i++)
    {
        using var scope = NewDisposeScope();
        _ = a + b;
    }
    return watch.Elapsed.TotalMicroseconds / iterations;
}

static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
