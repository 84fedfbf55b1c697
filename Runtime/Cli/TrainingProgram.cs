using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Composer.Models;

namespace Composer.Cli;

/// <summary>
/// The entry point of every generated training executable: the generated <c>Main</c> calls
/// <see cref="Run(string[], ModelEntry[])"/> with one <see cref="ModelEntry"/> per model listed in
/// <c>[assembly: TrainingExecutable(...)]</c>.
/// </summary>
public static class TrainingProgram
{
    /// <summary>Runs the command line; returns the process exit code (0 ok, 1 bad input, 2 bad usage).</summary>
    public static int Run(string[] args, params ModelEntry[] models) => Run(args, models, Console.Out, Console.Error);

    /// <summary>Same, writing to the given streams (tests use this).</summary>
    public static int Run(string[] args, IReadOnlyList<ModelEntry> models, TextWriter output, TextWriter error)
    {
        if (models.Count == 0)
        {
            error.WriteLine("error: this executable declares no models; list them in [assembly: TrainingExecutable(typeof(...))].");
            return 2;
        }
        if (args.Length >= 1 && args[0] == "summary")
        {
            foreach (var model in models) output.WriteLine(ModelSummary.Format(model.Description));
            return 0;
        }
        error.WriteLine($"usage: {AppDomain.CurrentDomain.FriendlyName} summary");
        error.WriteLine($"models: {string.Join(", ", models.Select(m => m.Description.Name))}");
        return 2;
    }
}
