using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Composer.Checkpoints;
using Composer.Data;
using Composer.Distributed;
using Composer.Layers;
using Composer.Loading;
using Composer.Models;
using Composer.Training;

namespace Composer.Cli;

/// <summary>What every command needs: the declared models, where to write, and the mapping from failures to exit codes.</summary>
internal sealed class CommandContext(IReadOnlyList<ModelEntry> models, TextWriter output, TextWriter error, bool interactive)
{
    public IReadOnlyList<ModelEntry> Models { get; } = models;
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;
    /// <summary>True when output is a terminal: live progress instead of log lines.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>
    /// Runs a command's body and turns what the user can fix into one line on stderr and an exit code:
    /// 2 for usage, 1 for bad input, a missing device or a failed run. Nothing escapes as a stack trace
    /// (libtorch's own errors, which TorchSharp raises as <see cref="ExternalException"/>, included).
    /// </summary>
    public int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (Report(e) is int code)
        {
            return code;
        }
    }

    /// <summary>
    /// Writes what the user can fix about <paramref name="e"/> as one line on stderr (with the fix) and
    /// returns the exit code; null, writing nothing, for failures that are not the user's to fix.
    /// </summary>
    public int? Report(Exception e)
    {
        if (e is UsageException)
        {
            Error.WriteLine($"error: {e.Message}");
            Error.WriteLine("Run with --help for usage.");
            return ExitCodes.Usage;
        }
        if (IsFailure(e))
        {
            // libtorch's messages go on with a C++ backtrace: the first line is the error.
            string message = e is ExternalException ? e.Message.Split('\n', 2)[0].TrimEnd() : e.Message;
            Error.WriteLine($"error: {message}");
            if (Environment.GetEnvironmentVariable("COMPOSER_DEBUG") == "1") Error.WriteLine(e);
            return ExitCodes.Failure;
        }
        return null;
    }

    /// <summary>Whether <paramref name="e"/> is a failure at run time that <see cref="Report"/> turns into one line and exit code 1.</summary>
    public static bool IsFailure(Exception e) =>
        e is CliFailure or DataException or CheckpointMismatchException or StateDictMismatchException
          or TrainingDivergedException or SafetensorsFormatException or TorchLoadException or ExternalException
          or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException
          or CollectiveException or JobRefusedException or MpiUnavailableException;
}
