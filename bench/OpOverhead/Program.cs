using System;
using System.Diagnostics;
using Composer.Native;
using Composer.Tensors;

Torch.Threads = 1;
const long N = 200_000;
foreach (var n in new long[] { 1, 64 })
{
    using var outer = new TensorScope();
    var a = n == 1 ? Torch.Rand(1) : Torch.Rand(64, 64);
    var b = n == 1 ? Torch.Rand(1) : Torch.Rand(64, 64);
    double bestNative = double.MaxValue, bestManaged = double.MaxValue;
    for (int round = 0; round < 7; round++)
    {
        bestNative = Math.Min(bestNative, NativeMethods.cmp_bench_add_loop(a.Handle, b.Handle, N) / (double)N / 1000.0);
        var sw = Stopwatch.StartNew();
        for (long i = 0; i < N; i++)
        {
            var c = a + b;
            c.Dispose();
        }
        bestManaged = Math.Min(bestManaged, sw.Elapsed.TotalMicroseconds / N);
    }
    Console.WriteLine($"n={n}: native {bestNative:F3} us, managed {bestManaged:F3} us");
}
