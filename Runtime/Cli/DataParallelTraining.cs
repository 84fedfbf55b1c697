using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using Composer.Checkpoints;
using Composer.Data;
using Composer.Distributed;
using Composer.Models;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Cli;

/// <summary>
/// <c>train</c> as one rank of a job started by <c>mpirun -np N</c> (N &gt; 1): every rank prepares the
/// model and data from the same flags, checks with the others that they all run the same thing, and
/// trains its share of every batch; rank 0 alone prints, writes the run folder and reports.
/// </summary>
/// <remarks>
/// Endings: the job succeeds, or every rank raises the same failure (a refusal before training, a
/// diverged loss) and rank 0 reports it, and every rank finalizes MPI and exits with the same code.
/// Anything else is one rank's own failure: that rank prints it and aborts the job through MPI, since
/// the others may be waiting for it.
/// </remarks>
internal static class DataParallelTraining
{
    public static int Run(ParseResult parse, CliOptions o, CommandContext context, LaunchEnvironment launch)
    {
        using var mpi = MpiCollectives.Start(launch, TimeSpan.FromSeconds(parse.GetValue(o.PeerTimeout)));
        bool root = mpi.Rank == 0;
        var output = root ? context.Output : TextWriter.Null;
        nn.Module? model = null;
        TrainingData? data = null;
        try
        {
            ModelEntry? entry = null;
            Device device = CPU;
            TrainerOptions? options = null;
            var manifest = new List<KeyValuePair<string, string>>();
            string? failure = null;
            try
            {
                entry = Session.SelectModel(context.Models, parse.GetValue(o.Model));
                device = Session.Prepare(parse, o);
                // The machine's cores are shared by its ranks: one rank per core unless --threads says otherwise.
                if (parse.GetResult(o.Threads) is null or { Implicit: true })
                    set_num_threads(Math.Max(1, Environment.ProcessorCount / launch.LocalSize));
                model = Session.CreateModel(entry, device);
                data = Session.OpenData(parse, o, entry.Description);
                data.EnsureFits((ISequenceModel)model);
                options = TrainCommand.Options(parse, o, entry);
                manifest = Manifest(parse, o, entry);
            }
            catch (Exception e) when (e is UsageException || CommandContext.IsFailure(e))
            {
                // Reported with the other ranks, so the job refuses as one, with the lowest failing rank's message.
                failure = e.Message;
            }
            RankAgreement.Check(mpi, manifest, failure);
            CheckShares(data!, parse.GetValue(o.TokensPerBatch), mpi.Size);

            foreach (var line in data!.Summary) output.WriteLine(line);
            foreach (var line in DescribeRanks(mpi)) output.WriteLine(line);
            var result = TrainCommand.Train(model!, data, options!, context, entry!.Description.Name, mpi);
            if (root)
            {
                var report = TrainCommand.Report(entry, model!, data, options!, result, device, parse.GetValue(o.Task) ?? parse.GetValue(o.Data)!.Name);
                report.Save(options!.RunFolder);
                TrainCommand.WriteAgreement(options, report);
                TrainCommand.Print(report, output);
            }
            mpi.Finish();
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is JobRefusedException or TrainingDivergedException)
        {
            // Every rank raised it alike: rank 0 reports it, and the job ends normally.
            mpi.Finish();
            if (root) throw;
            return ExitCodes.Failure;
        }
        finally
        {
            model?.Dispose();
            data?.Dispose();
        }
    }

    /// <summary>
    /// What must be the same on every rank, in a fixed order: Composer's version, the model and its
    /// architecture fingerprint, every flag of the command line except those that may differ per rank
    /// (--threads, --device) and a hash of each data file's contents.
    /// </summary>
    internal static List<KeyValuePair<string, string>> Manifest(ParseResult parse, CliOptions o, ModelEntry entry)
    {
        var manifest = new List<KeyValuePair<string, string>>
        {
            new("Composer", Checkpoint.ComposerVersion),
            new("the model", $"{entry.Description.Name} (architecture fingerprint {entry.Description.Fingerprint})"),
        };
        foreach (var option in parse.CommandResult.Command.Options)
        {
            if (option == o.Threads || option == o.Device) continue;
            object? value = parse.GetResult(option)?.GetValueOrDefault<object?>();
            if (value is FileInfo file)
                manifest.Add(new($"the contents of {option.Name}", Hash(file)));
            else
                manifest.Add(new(option.Name, Text(value)));
        }
        return manifest;
    }

    private static string Text(object? value) => value switch
    {
        null => "(not given)",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Hash(FileInfo file)
    {
        using var stream = file.OpenRead();
        return $"{file.Length:N0} bytes with SHA-256 {Convert.ToHexStringLower(SHA256.HashData(stream))[..16]}…";
    }

    /// <summary>
    /// Refuses a job whose ranks cannot share the batches: text windows come in batches of a fixed number
    /// of rows, which the ranks must divide; batches of examples vary, and the budget must at least give
    /// every rank one example of the longest length.
    /// </summary>
    /// <exception cref="JobRefusedException">The batch does not divide into the ranks; the message gives the fix.</exception>
    internal static void CheckShares(TrainingData data, int budget, int ranks)
    {
        if (data.Train is CorpusBatchSource corpus)
        {
            int rows = corpus.Rows, window = corpus.WindowLength;
            if (rows % ranks == 0) return;
            var divisors = Enumerable.Range(2, Math.Max(0, rows - 1)).Where(d => rows % d == 0).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToList();
            int fitting = (rows + ranks - 1) / ranks * ranks;
            string start = divisors.Count == 0 ? "" : $"start {string.Join(", ", divisors)} ranks, or ";
            throw new JobRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"a batch holds {rows} windows of {window} tokens (--tokens-per-batch {budget}), which {ranks} ranks cannot share evenly: {start}set --tokens-per-batch to a multiple of {ranks * window} tokens, e.g. {fitting * window} ({fitting} windows)"));
        }
        int longest = Math.Max(1, data.LongestSequence);
        int fewest = budget / longest;
        if (fewest >= ranks) return;
        throw new JobRefusedException(string.Create(CultureInfo.InvariantCulture,
            $"a batch of at most {budget} tokens (--tokens-per-batch) may hold only {fewest} example{(fewest == 1 ? "" : "s")} of the longest length, {longest} tokens, fewer than the {ranks} ranks: set --tokens-per-batch to at least {ranks * longest}, or start at most {Math.Max(1, fewest)} ranks"));
    }

    /// <summary>One line per rank for the log (collective: every rank calls it): its process id, machine and threads, so a launcher's message naming a process id can be matched to a rank.</summary>
    private static IEnumerable<string> DescribeRanks(MpiCollectives mpi)
    {
        string mine = string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} on {Environment.MachineName}, {get_num_threads()} thread{(get_num_threads() == 1 ? "" : "s")}");
        var lines = new List<string> { $"data-parallel training: {mpi.Size} ranks over {mpi.Library}; every batch is split between them" };
        for (int r = 0; r < mpi.Size; r++)
            lines.Add($"  rank {r}: {mpi.Share(mpi.Rank == r ? mine : null, r)}");
        return lines;
    }
}
