using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Composer.Checkpoints;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Composer.Samples.Tests;

/// <summary>
/// <c>composer-samples train</c> as a data-parallel job started by MPICH's launcher on this machine
/// (loopback): the same model as one process, the faults, and the refusals before training. Each job
/// runs a probe (AttentionProbe or DynamicConvProbe: two layers of width 64, residual dropout 0.1, so
/// the ranks' dropout masks are checked too) on a small generated text, one torch thread per rank.
/// </summary>
public sealed partial class DataParallelTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private readonly string _folder = Directory.CreateTempSubdirectory("composer-mpi-").FullName;
    private readonly string _corpus;
    private readonly ITestOutputHelper _log;

    public DataParallelTests(ITestOutputHelper log)
    {
        _log = log;
        // 400 lines of 30 words drawn from a small vocabulary: 842 training windows of 64 bytes.
        var random = new Random(0);
        string[] words = "the cat sat on a mat while dogs ran over hills and birds sang loudly in trees near rivers".Split(' ');
        var text = new StringBuilder();
        for (int line = 0; line < 400; line++)
            text.AppendLine(string.Join(' ', Enumerable.Range(0, 30).Select(_ => words[random.Next(words.Length)])));
        _corpus = Path.Combine(_folder, "corpus.txt");
        File.WriteAllText(_corpus, text.ToString());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Two ranks, each computing 4 of every 8-window batch, train the model one process trains on the
    /// whole batch: the loss of every one of 30 updates agrees within 1e-5 relative, and every final
    /// weight within 1e-5. (Measured: losses within 2e-7 relative, weights within 3e-7; only the order of
    /// additions in the gradient sums differs.) DynamicConvProbe, because every one of its parameters
    /// has a real gradient: in softmax attention the key projection's bias has an exactly zero gradient
    /// (adding one vector to every key shifts all scores of a query alike), so AdamW, which divides by
    /// the gradient's size, moves it by rounding noise, and any two runs that add in another order end
    /// with different key biases (measured: AttentionProbe 2.7e-5 apart there after 30 updates, every
    /// other weight within 1e-7). Runs as whatever user runs the tests, root included: MPICH's launcher
    /// needs no setting for root.
    /// </summary>
    [MpichFact]
    public void TwoRanksTrainTheSameModelAsOneProcessWithTheSameGlobalBatch()
    {
        string single = Path.Combine(_folder, "single"), parallel = Path.Combine(_folder, "parallel");
        string[] train = Train(steps: 30, evalEvery: 30, model: "DynamicConvProbe");

        using (var alone = new LaunchedProcess("dotnet", ["exec", Dll, .. train, "--run", single]))
            Finish(alone, "the single process");
        using (var job = new LaunchedProcess(MpichFactAttribute.Launcher, ["-np", "2", .. Executable, .. train, "--run", parallel]))
        {
            Finish(job, "the two-rank job");
            Assert.Contains("data-parallel training: 2 ranks", job.Output);
        }

        var expected = StepLosses(single);
        var actual = StepLosses(parallel);
        Assert.Equal(Enumerable.Range(1, 30).Select(s => (long)s), expected.Select(l => l.Step));
        Assert.Equal(expected.Select(l => l.Step), actual.Select(l => l.Step));
        Assert.True(expected[^1].Loss < expected[0].Loss - 0.5, $"the loss should fall in 30 updates: {expected[0].Loss} → {expected[^1].Loss}");
        foreach (var (e, a) in expected.Zip(actual))
            Assert.True(Math.Abs(a.Loss - e.Loss) <= 1e-5 * Math.Abs(e.Loss), $"update {e.Step}: two ranks' loss {a.Loss:R} differs from one process's {e.Loss:R} by more than 1e-5 relative");
        _log.WriteLine($"largest relative loss difference over the 30 updates: {expected.Zip(actual).Max(p => Math.Abs(p.Second.Loss - p.First.Loss) / Math.Abs(p.First.Loss)):E2}");

        using var one = Safetensors.Load(Path.Combine(single, "checkpoint-30", "model.safetensors"));
        using var two = Safetensors.Load(Path.Combine(parallel, "checkpoint-30", "model.safetensors"));
        Assert.Equal(one.Names.Order(), two.Names.Order());
        double largest = 0;
        foreach (string name in one.Names)
        {
            using var a = one.Get(name);
            using var b = two.Get(name);
            double difference = (a - b).abs().max().item<float>();
            Assert.True(difference <= 1e-5, $"final weight {name} differs by {difference} between one process and two ranks");
            largest = Math.Max(largest, difference);
        }
        _log.WriteLine($"largest final weight difference: {largest:E2}");
    }

    /// <summary>
    /// A rank killed mid-run (SIGKILL, no chance to say anything) ends the job: the launcher stops the
    /// other rank and exits non-zero within 30 s, naming the dead process, whose rank the job's log
    /// maps from its pid. The last complete checkpoint then resumes the run to its end with two ranks.
    /// </summary>
    [MpichFact]
    public void KillingOneRankEndsTheJobWithinThirtySecondsAndTheRunResumesFromTheLastCheckpoint()
    {
        string run = Path.Combine(_folder, "killed");
        string[] train = Train(steps: 60, evalEvery: 10);
        using (var job = new LaunchedProcess(MpichFactAttribute.Launcher, ["-np", "2", .. Executable, .. train, "--run", run]))
        {
            int pid = RankPid(job, 1);
            AfterStep(job, 12);   // checkpoint 10 is complete
            using (var rank = Process.GetProcessById(pid)) rank.Kill();
            var watch = Stopwatch.StartNew();
            Assert.True(job.WaitForExit(TimeSpan.FromSeconds(30)), $"the job still runs 30 s after rank 1 was killed\n{job.Output}\n{job.Error}");
            Assert.NotEqual(0, job.ExitCode);
            string said = job.Output + job.Error;
            Assert.Contains($"PID {pid}", said);   // Hydra's "BAD TERMINATION … PID <pid>"
            Assert.Contains($"rank 1: pid {pid}", job.Output);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30));
        }
        // The job ran on for however long the kill took to land (more than a second when the machine is
        // busy), and older checkpoints are pruned as newer ones complete (--keep-last 2): the run's "last"
        // pointer names the newest complete one, from step 10 on and before the end.
        string last = File.ReadAllText(Path.Combine(run, "last")).Trim();
        Assert.Matches(@"^checkpoint-(10|20|30|40|50)$", last);
        Assert.True(File.Exists(Path.Combine(run, last, "model.safetensors")), $"the last checkpoint, {last}, is incomplete");

        using (var resumed = new LaunchedProcess(MpichFactAttribute.Launcher, ["-np", "2", .. Executable, .. train, "--run", run, "--resume"]))
            Finish(resumed, "the resumed two-rank job");
        AssertCompletedAfterResuming(run, 60);
        Assert.EndsWith(last, Events(run).Where(e => e.GetProperty("event").GetString() == "start").Last().GetProperty("resumed_from").GetString());
    }

    /// <summary>
    /// A rank that stops responding without dying (SIGSTOP) is caught by the survivor's deadline
    /// (--peer-timeout 5): it prints one line saying so, naming the checkpoint to resume from, and ends
    /// the job non-zero within 30 s. The run then resumes with another rank count — one process under
    /// the launcher, which needs no MPI at all — and completes.
    /// </summary>
    [MpichFact]
    public void AStoppedRankIsReportedAfterThePeerTimeoutAndTheRunResumesWithOneProcess()
    {
        string run = Path.Combine(_folder, "stopped");
        string[] train = Train(steps: 60, evalEvery: 10);
        int pid;
        using (var job = new LaunchedProcess(MpichFactAttribute.Launcher, ["-np", "2", .. Executable, .. train, "--run", run, "--peer-timeout", "5"]))
        {
            pid = RankPid(job, 1);
            AfterStep(job, 12);
            Signal("STOP", pid);
            try
            {
                Assert.True(job.WaitForExit(TimeSpan.FromSeconds(30)), $"the job still runs 30 s after rank 1 stopped\n{job.Output}\n{job.Error}");
            }
            finally
            {
                Signal("CONT", pid);   // in case the job outlived the test: let the launcher's kill land
            }
            Assert.NotEqual(0, job.ExitCode);
            var line = job.Error.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
            Assert.Contains("rank 0 of 2", line);
            Assert.Contains("did not complete within 5 s", line);
            Assert.Contains("checkpoint-", line);
            Assert.Contains("--resume", line);
        }

        using (var resumed = new LaunchedProcess(MpichFactAttribute.Launcher, ["-np", "1", .. Executable, .. train, "--run", run, "--resume"]))
        {
            Finish(resumed, "the run resumed by one process");
            Assert.DoesNotContain("data-parallel", resumed.Output);
        }
        AssertCompletedAfterResuming(run, 60);
    }

    /// <summary>Three ranks cannot share a batch of 8 windows: the job is refused before training, with the fix, in one line.</summary>
    [MpichFact]
    public void ABatchTheRanksCannotShareIsRefusedBeforeTrainingWithTheFix()
    {
        string run = Path.Combine(_folder, "three");
        using var job = new LaunchedProcess(MpichFactAttribute.Launcher, ["-np", "3", .. Executable, .. Train(steps: 4, evalEvery: 4), "--run", run]);
        Assert.True(job.WaitForExit(Limit), "the refused job did not end");
        Assert.NotEqual(0, job.ExitCode);
        var errors = job.Error.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            ["error: a batch holds 8 windows of 64 tokens (--tokens-per-batch 512), which 3 ranks cannot share evenly: start 2, 4, 8 ranks, or set --tokens-per-batch to a multiple of 192 tokens, e.g. 576 (9 windows)"],
            errors);
        Assert.DoesNotContain("step ", job.Output);
        Assert.False(File.Exists(Path.Combine(run, "metrics.jsonl")), "nothing is written before the job is refused");
    }

    /// <summary>Ranks started with different flags refuse to train together, naming the first difference.</summary>
    [MpichFact]
    public void RanksStartedDifferentlyRefuseNamingTheFirstDifference()
    {
        string run = Path.Combine(_folder, "different");
        string[] train = Train(steps: 4, evalEvery: 4);
        using var job = new LaunchedProcess(MpichFactAttribute.Launcher,
            ["-np", "1", .. Executable, .. train, "--run", run, "--lr", "1e-3", ":", "-np", "1", .. Executable, .. train, "--run", run, "--lr", "2e-3"]);
        Assert.True(job.WaitForExit(Limit), "the refused job did not end");
        Assert.NotEqual(0, job.ExitCode);
        var errors = job.Error.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["error: rank 1 was started differently from rank 0: --lr is 0.002 on rank 1 but 0.001 on rank 0; start every rank with the same executable, command line and data"], errors);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static string Dll => Path.Combine(AppContext.BaseDirectory, "composer-samples.dll");

    // What the launcher starts on every rank.
    private static string[] Executable => ["dotnet", "exec", Dll];

    private string[] Train(int steps, int evalEvery, string model = "AttentionProbe") =>
    [
        "train", "--model", model, "--data", _corpus, "--window", "64", "--tokens-per-batch", "512",
        "--steps", steps.ToString(CultureInfo.InvariantCulture), "--eval-every", evalEvery.ToString(CultureInfo.InvariantCulture),
        "--threads", "1", "--seed", "3",
    ];

    private static void Finish(LaunchedProcess process, string what)
    {
        Assert.True(process.WaitForExit(Limit), $"{what} ran for more than {Limit}\n{process.Output}\n{process.Error}");
        Assert.True(process.ExitCode == 0, $"{what} exited {process.ExitCode}\n{process.Output}\n{process.Error}");
    }

    // The pid the job's log gives for a rank ("  rank 1: pid 1234 on host, 1 thread").
    private static int RankPid(LaunchedProcess job, int rank)
    {
        string line = job.WaitForLine(l => l.StartsWith($"  rank {rank}: pid ", StringComparison.Ordinal), Limit);
        return int.Parse(RankLine().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    // Waits for the progress line of update `step` or later.
    private static void AfterStep(LaunchedProcess job, int step) =>
        job.WaitForLine(l => ProgressLine().Match(l) is { Success: true } m && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) >= step, Limit);

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardError = true })!;
        kill.WaitForExit();
    }

    private static List<(long Step, double Loss)> StepLosses(string run) =>
        Events(run).Where(e => e.GetProperty("event").GetString() == "step")
            .Select(e => (e.GetProperty("step").GetInt64(), e.GetProperty("loss").GetDouble())).ToList();

    private static JsonElement[] Events(string run) =>
        File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement).ToArray();

    private static void AssertCompletedAfterResuming(string run, long steps)
    {
        var events = Events(run);
        var starts = events.Where(e => e.GetProperty("event").GetString() == "start").ToArray();
        Assert.Equal(2, starts.Length);
        Assert.Contains("checkpoint-", starts[1].GetProperty("resumed_from").GetString());
        Assert.Equal("completed", events[^1].GetProperty("reason").GetString());
        Assert.Equal(steps, events.Where(e => e.GetProperty("event").GetString() == "step").Max(e => e.GetProperty("step").GetInt64()));
        Assert.True(Directory.Exists(Path.Combine(run, "checkpoint-" + steps.ToString(CultureInfo.InvariantCulture))));
    }

    [GeneratedRegex(@"^  rank \d+: pid (\d+) ")]
    private static partial Regex RankLine();

    [GeneratedRegex(@"^step\s+(\d+)/")]
    private static partial Regex ProgressLine();
}
