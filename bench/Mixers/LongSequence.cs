using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Composer.Bench;
using Composer.Layers;
using Composer.Mixers;
using static Settings;
using static TorchSharp.torch;

/// <summary>
/// LSH attention against softmax attention on long sequences (issue 11, MIXERS.md §9): time and peak
/// memory of one forward + backward at T = 4096 and 16384, B = 1, C = 256, decoder mode, Composer only.
/// </summary>
/// <remarks>
/// Each (mixer, T) runs in a process of its own (this program with <c>--long-sequence CLASS T</c>): a
/// process's freed tensors stay in its heap (bench/run turns malloc trimming off), so the resident peak
/// of a shared process would mix the configurations. The child builds the mixer and its input, notes its
/// resident memory, resets the kernel's peak counter (/proc/self/clear_refs), runs forward + backward
/// <see cref="Runs"/> times and reports the best time and the peak resident memory above that baseline:
/// activations, the autograd graph's saved tensors, gradients and libtorch's scratch space.
/// </remarks>
internal static class LongSequence
{
    private static readonly long[] Lengths = [4096, 16384];

    /// <summary>Forward + backward runs per child: the first touches fresh pages, the best is reported.</summary>
    private const int Runs = 2;

    /// <summary>Measures both mixers at both lengths, prints the table and the RESULT lines.</summary>
    public static void Compare(MixerRow attention, MixerRow lsh)
    {
        var results = new Dictionary<(string Key, long T), (double Seconds, long Bytes)>();
        foreach (long t in Lengths)
        {
            foreach (var row in new[] { attention, lsh })
            {
                results[(row.Key, t)] = RunChild(row, t);
                Console.Error.WriteLine($"long sequences: {row.Key} at T = {t} done, load average {Machine.LoadAverage()}");
            }
        }

        Console.WriteLine($"Long sequences: forward + backward, CPU, B = 1, C = {Width}, H = {Heads}, decoder mode, torch threads {Threads}; best of {Runs} runs,");
        Console.WriteLine("each configuration in its own process; peak = resident memory above the built mixer and its input (VmHWM after clear_refs);");
        Console.WriteLine($"LSH attention with its defaults (32 buckets, 4 rounds, chunks of 64); softmax attention through libtorch's fused kernel; load average at the end {Machine.LoadAverage()}.");
        var table = new Table("mixer", "T", "Composer ms", "peak MiB", "time vs attention", "memory vs attention");
        foreach (long t in Lengths)
        {
            var reference = results[(attention.Key, t)];
            foreach (var row in new[] { attention, lsh })
            {
                var (seconds, bytes) = results[(row.Key, t)];
                table.Add(row.Key, t.ToString(CultureInfo.InvariantCulture), (seconds * 1000).ToString("F0", CultureInfo.InvariantCulture),
                    (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture),
                    (reference.Seconds / seconds).ToString("F2", CultureInfo.InvariantCulture), ((double)reference.Bytes / bytes).ToString("F2", CultureInfo.InvariantCulture));
            }
        }
        table.Print();
        Console.WriteLine("(time and memory vs attention: softmax attention's figure / this one's; above 1 = LSH cheaper)");
        foreach (long t in Lengths)
        {
            Console.WriteLine($"RESULT lsh_speedup_{t} {(results[(attention.Key, t)].Seconds / results[(lsh.Key, t)].Seconds).ToString("F2", CultureInfo.InvariantCulture)}");
            Console.WriteLine($"RESULT lsh_memory_ratio_{t} {((double)results[(attention.Key, t)].Bytes / results[(lsh.Key, t)].Bytes).ToString("F2", CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>The child's side: builds <paramref name="className"/> at length <paramref name="t"/> and prints "SECONDS BYTES".</summary>
    public static void Child(string className, long t)
    {
        set_num_threads(Threads);
        manual_seed(0);
        var row = new MixerRow(className, className, "");
        if (row.RuntimeType is null) throw new InvalidOperationException($"Composer.Mixers.{className} is not in Composer.Runtime");
        var context = new MixerContext(ModuleContext.Cpu, Width, Heads, Kernel, MaxLength: (int)t, Causal: row.Causal);
        using var module = row.Create(context);
        using var x = randn(1, t, Width).requires_grad_();
        long baseline = Status("VmRSS");
        File.WriteAllText("/proc/self/clear_refs", "5");
        double best = double.MaxValue;
        for (int run = 0; run < Runs; run++)
        {
            var watch = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                ((IMixer)module).forward(x, null).sum().backward();
            }
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
            module.zero_grad(set_to_none: true);
            using (var grad = x.grad) x.grad = null;
        }
        long peak = Status("VmHWM");
        Console.WriteLine($"{best.ToString("R", CultureInfo.InvariantCulture)} {peak - baseline}");
    }

    private static (double Seconds, long Bytes) RunChild(MixerRow row, long t)
    {
        // Started as bench/run starts it (dotnet DLL …), or as its own apphost.
        string host = Environment.ProcessPath ?? "dotnet";
        string[] arguments = ["--long-sequence", row.Class, t.ToString(CultureInfo.InvariantCulture)];
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") arguments = [typeof(LongSequence).Assembly.Location, .. arguments];
        var start = new ProcessStartInfo(host, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the long-sequence child");
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string[] fields = output.Trim().Split('\n').LastOrDefault("").Split(' ');
        if (process.ExitCode != 0 || fields.Length != 2)
            throw new InvalidOperationException($"{row.Key} at T = {t} failed (exit {process.ExitCode}): {output} {error.Result}");
        return (double.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    /// <summary>A memory figure of /proc/self/status, in bytes.</summary>
    private static long Status(string field)
    {
        string line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
