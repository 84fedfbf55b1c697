using System;
using System.CommandLine;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Composer.Data;
using Composer.Data.Tasks;
using Composer.Layers;
using Composer.Loading;
using Composer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Cli;

/// <summary>What every command resolves first from its flags: the model, the device, threads, the seed and the data.</summary>
internal static class Session
{
    public static ModelEntry SelectModel(IReadOnlyList<ModelEntry> models, string? name)
    {
        if (name is null)
        {
            if (models.Count == 1) return models[0];
            throw new UsageException($"this executable declares {models.Count} models; choose one with --model ({Names(models)}).");
        }
        return models.FirstOrDefault(m => string.Equals(m.Description.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"there is no model '{name}'; this executable declares {Names(models)}.");
    }

    public static string Names(IEnumerable<ModelEntry> models) => string.Join(", ", models.Select(m => m.Description.Name));

    /// <summary>
    /// Applies --threads and --seed and returns the --device, checking that it can hold tensors
    /// (<see cref="TorchLoading.EnsureDevice"/>: a CUDA device needs a CUDA backend and a GPU).
    /// </summary>
    /// <exception cref="TorchLoadException">The device is not available; the message says how to fix it.</exception>
    public static Device Prepare(ParseResult parse, CliOptions o)
    {
        Device device;
        try { device = Devices.Parse(parse.GetValue(o.Device)!); }
        catch (FormatException e) { throw new UsageException(e.Message); }
        TorchLoading.EnsureDevice(device);
        set_num_threads(parse.GetValue(o.Threads));
        long seed = parse.GetValue(o.Seed);
        // TorchSharp's manual_seed seeds the CPU generator only; sampling on a GPU draws from CUDA's.
        manual_seed(seed).Dispose();   // the Generator it returns is only a second handle on the default one
        if (device.type == DeviceType.CUDA) cuda.manual_seed_all(seed);
        return device;
    }

    /// <summary>Opens the data the flags name: a built-in task or files, never both.</summary>
    public static TrainingData OpenData(ParseResult parse, CliOptions o, ModelDescription model)
    {
        var task = parse.GetValue(o.Task);
        var file = parse.GetValue(o.Data);
        if ((task is null) == (file is null))
            throw new UsageException("give either --task NAME (a built-in task: " + string.Join(", ", BuiltInTasks.All.Select(t => t.Name)) + ") or --data FILE.");
        var options = new DataOptions
        {
            Seed = parse.GetValue(o.Seed),
            TokensPerBatch = parse.GetValue(o.TokensPerBatch),
            // The default window fits the model; a window the user asked for is checked against it.
            WindowLength = parse.GetResult(o.Window) is { Implicit: false } || model.MaxLength <= 0
                ? parse.GetValue(o.Window)
                : Math.Min(parse.GetValue(o.Window), model.MaxLength),
            MaxLength = model.MaxLength > 0 ? model.MaxLength : null,
        };
        if (file is not null)
        {
            var validation = parse.GetValue(o.Validation);
            return DataFiles.Open(model.Kind, file.FullName, validation?.FullName, options);
        }
        var taskOptions = new TaskOptions
        {
            Lengths = ParseRange(parse.GetValue(o.Lengths), "--lengths"),
            Digits = ParseRange(parse.GetValue(o.Digits), "--digits"),
            MaxDistance = parse.GetValue(o.MaxDistance),
            TrainExamples = parse.GetValue(o.TrainExamples),
            TestExamplesPerDistance = parse.GetValue(o.TestExamples),
        };
        try { return BuiltInTasks.Create(task!, model.Kind, options, taskOptions); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    private static IntRange? ParseRange(string? text, string flag)
    {
        if (text is null) return null;
        try { return IntRange.Parse(text); }
        catch (FormatException e) { throw new UsageException($"{flag}: {e.Message}"); }
    }

    /// <summary>Builds the model on the device.</summary>
    public static nn.Module CreateModel(ModelEntry entry, Device device) => entry.Create(new ModuleContext(device));

    /// <summary>Trainable scalars of <paramref name="model"/>.</summary>
    public static long ParameterCount(nn.Module model) => model.parameters().Sum(p => p.numel());

    public static string Format(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}

/// <summary>A run-time failure the user can fix (exit code 1), with its one-line message.</summary>
internal sealed class CliFailure(string message) : Exception(message);
