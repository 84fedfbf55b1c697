using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Composer.Checkpoints;
using Composer.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>
/// SIGKILL during checkpoint writes: a child process (<see cref="CheckpointWriterChild"/>) writes a
/// checkpoint after every update and is killed at random moments, mostly while a checkpoint is being
/// written; after every kill the last checkpoint must load and the run must resume.
/// </summary>
public class KilledProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 6;
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void AProcessKilledDuringCheckpointWritesLeavesTheLastCheckpointLoadableAndResumable()
    {
        var random = new Random(2024);
        string run = _folder.Path;
        long previousStep = 0;
        int killedMidWrite = 0;
        for (int kill = 1; kill <= Kills; kill++)
        {
            var log = new StringBuilder();
            using var child = StartChild(run, log);
            // Let it resume and write a few checkpoints of its own, then wait for a write in progress
            // and kill it a random moment into it.
            WaitUntil(() => LastStep(run) >= previousStep + 3, child, log, "the child to write three checkpoints");
            Thread.Sleep(random.Next(0, 30));
            WaitUntil(() => Temporaries(run).Length > 0, child, log, "the child to start writing a checkpoint");
            Thread.SpinWait(random.Next(0, 200_000));
            child.Kill(); // SIGKILL on Unix: no finally blocks, no flushing
            child.WaitForExit();

            var leftovers = Temporaries(run);
            if (leftovers.Length > 0) killedMidWrite++;

            var folder = new RunFolder(run);
            using (folder.Lock()) Assert.Empty(Temporaries(run)); // the next writer removes what the write left behind
            var last = folder.Last() ?? throw new Xunit.Sdk.XunitException("no 'last' checkpoint after the kill");
            foreach (var (step, path) in folder.Checkpoints()) Assert.Equal(step, Checkpoint.Open(path).State.Step);
            using (var model = CheckpointWriterChild.Model())
            using (var optimizer = new AdamW(model))
            {
                last.LoadModel(model);
                last.LoadOptimizer(optimizer);
                Assert.Equal(last.State.Step, optimizer.StepCount);
            }
            output.WriteLine($"kill {kill}: last = checkpoint-{last.State.Step}, {(leftovers.Length > 0 ? "mid-write (" + string.Join(", ", leftovers.Select(Path.GetFileName)) + ")" : "between writes")}");
            Assert.True(last.State.Step >= previousStep + 3);
            previousStep = last.State.Step;
        }
        output.WriteLine($"{killedMidWrite} of {Kills} kills interrupted a checkpoint write");
        Assert.True(killedMidWrite > 0, "no kill landed inside a checkpoint write, so the test proved nothing about them");

        // The survivor resumes in this process too and keeps training.
        manual_seed(52);
        using var resumedModel = CheckpointWriterChild.Model();
        using var data = new SyntheticBatches(seed: 51);
        var observer = new RecordingObserver();
        using var trainer = new Trainer(resumedModel, data, null, CheckpointWriterChild.Options(run, previousStep + 2), observer);
        var result = trainer.Run();
        Assert.Equal(previousStep + 1, observer.Steps[0].Step);
        Assert.Equal(previousStep + 2, result.Step);
    }

    private static Process StartChild(string run, StringBuilder log)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet, ["exec", typeof(KilledProcessTests).Assembly.Location, CheckpointWriterChild.Command, run])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dotnet}");
        child.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        child.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    private static void WaitUntil(Func<bool> condition, Process child, StringBuilder log, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (child.HasExited) throw new Xunit.Sdk.XunitException($"the child exited ({child.ExitCode}) while waiting for {what}:\n{log}");
            if (DateTime.UtcNow > deadline)
            {
                child.Kill();
                throw new Xunit.Sdk.XunitException($"waited a minute for {what}:\n{log}");
            }
            Thread.Yield();
        }
    }

    private static long LastStep(string run)
    {
        try
        {
            string name = File.ReadAllText(Path.Combine(run, RunFolder.LastPointer)).Trim();
            return long.Parse(name["checkpoint-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return -1; }
    }

    private static string[] Temporaries(string run) =>
        Directory.GetFileSystemEntries(run).Where(p => Path.GetFileName(p).StartsWith('.')).ToArray();
}
