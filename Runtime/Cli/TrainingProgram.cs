using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using Composer.Distributed;
using Composer.Loading;
using Composer.Models;

namespace Composer.Cli;

/// <summary>
/// The entry point of every generated training executable: the generated <c>Main</c> calls
/// <see cref="Run(string[], ModelEntry[])"/> with one <see cref="ModelEntry"/> per model listed in
/// <c>[assembly: TrainingExecutable(...)]</c>. Subcommands: <c>train</c>, <c>evaluate</c>,
/// <c>generate</c>, <c>summary</c>, <c>compare</c>, <c>attention</c>, <c>papa</c>; <c>--help</c> everywhere.
/// </summary>
public static class TrainingProgram
{
    /// <summary>Runs the command line; returns the process exit code (<see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, params ModelEntry[] models) =>
        Run(args, models, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    /// <summary>Same, writing to the given streams; <paramref name="interactive"/> chooses a live progress bar over log lines.</summary>
    public static int Run(string[] args, IReadOnlyList<ModelEntry> models, TextWriter output, TextWriter error, bool interactive = false)
    {
        // First of all, so a libtorch that cannot load is one line with the fix, not TorchSharp's
        // page of trace from wherever the first tensor happens to be made.
        try
        {
            TorchLoading.EnsureLoaded();
        }
        catch (TorchLoadException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        if (models.Count == 0)
        {
            error.WriteLine("error: this executable declares no models; list them in [assembly: TrainingExecutable(typeof(...))].");
            return ExitCodes.Usage;
        }
        var options = new CliOptions();
        var context = new CommandContext(models, output, error, interactive);
        var root = new RootCommand($"Train, evaluate and compare the declared models: {Session.Names(models)}.")
        {
            TrainCommand.Create(options, context),
            EvaluateCommand.Create(options, context),
            GenerateCommand.Create(options, context),
            SummaryCommand.Create(options, context),
            CompareCommand.Create(options, context),
            AttentionCommand.Create(options, context),
            PapaCommand.Create(options, context),
        };
        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = output, Error = error };
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) error.WriteLine($"error: {e.Message}");
            error.WriteLine();
            // Usage of the command that was being typed, on stderr, so the fix is on screen.
            root.Parse([.. CommandPath(parse), "--help"]).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return ExitCodes.Usage;
        }
        if (parse.CommandResult.Command == root && args.Length == 0)
        {
            root.Parse(["--help"]).Invoke(invocation);
            return ExitCodes.Usage;
        }
        if (parse.CommandResult.Command.Name != "train" && Job() is { } job)
        {
            // Each process of the job would run the whole command; only train shares work between them.
            if (job.Rank == 0) error.WriteLine($"error: only train runs as several processes; run {parse.CommandResult.Command.Name} without mpirun (or with -np 1).");
            return ExitCodes.Usage;
        }
        return parse.Invoke(invocation);
    }

    // The multi-process job this process belongs to, if any (an unsupported launcher counts as none here: train reports it).
    private static LaunchEnvironment? Job()
    {
        try { return LaunchEnvironment.Detect(); }
        catch (MpiUnavailableException) { return null; }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            names.Add(result.Command.Name);
        names.Reverse();
        return names;
    }
}
