using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using Composer.Layers;
using Composer.Models;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Checkpoints;

/// <summary>
/// One checkpoint folder: <c>model.safetensors</c> (the weights under their dotted names, readable by any
/// safetensors reader), <c>optimizer.safetensors</c> (the AdamW moments) and <c>state.json</c>
/// (<see cref="TrainingState"/>). Opening reads and checks <c>state.json</c>; tensors are read when loaded.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>The weights file's name.</summary>
    public const string ModelFile = "model.safetensors";
    /// <summary>The optimizer moments file's name.</summary>
    public const string OptimizerFile = "optimizer.safetensors";
    /// <summary>The training state file's name.</summary>
    public const string StateFile = "state.json";

    private Checkpoint(string path, TrainingState state)
    {
        Path = path;
        State = state;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Path { get; }

    /// <summary>The training state saved with the weights.</summary>
    public TrainingState State { get; }

    /// <summary>Opens a checkpoint folder and reads its <c>state.json</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is missing, or <c>state.json</c> is not a valid training state.</exception>
    public static Checkpoint Open(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"the checkpoint folder '{folder}' does not exist");
        foreach (var file in new[] { ModelFile, OptimizerFile, StateFile })
            if (!File.Exists(System.IO.Path.Combine(folder, file)))
                throw new InvalidDataException($"'{folder}' is not a complete checkpoint: it has no {file}");
        string statePath = System.IO.Path.Combine(folder, StateFile);
        TrainingState? state;
        try
        {
            state = JsonSerializer.Deserialize(File.ReadAllBytes(statePath), CheckpointJson.Default.TrainingState);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{statePath}' is not a valid training state: {e.Message}", e);
        }
        if (state is null) throw new InvalidDataException($"'{statePath}' is not a valid training state: it holds null");
        if (state.Format > TrainingState.CurrentFormat)
            throw new InvalidDataException($"'{statePath}' has format {state.Format}, written by Composer {state.ComposerVersion}; this Composer ({ComposerVersion}) reads format {TrainingState.CurrentFormat} or older. Update Composer to load it.");
        return new Checkpoint(folder, state);
    }

    /// <summary>
    /// Copies the checkpoint's weights into <paramref name="model"/>'s parameters and persistent buffers.
    /// The architecture is checked first (fingerprint of the declaration, then every tensor's name, shape
    /// and dtype), and a mismatch is refused before anything is read or changed.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">The checkpoint belongs to another architecture; the message lists the differences.</exception>
    public void LoadModel(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var file = Safetensors.Load(System.IO.Path.Combine(Path, ModelFile));
        var description = (model as ISequenceModel)?.Description;
        bool sameArchitecture = description is null || description.Fingerprint == State.Model.Fingerprint;
        // Heads the PAPA probe made constant are weights the fresh model has no room for yet.
        if (sameArchitecture) ConstantHeadEntries.Prepare(model, file, Path);
        var own = model.state_dict();
        var tensors = Compare(own, file);
        if (tensors is not null || !sameArchitecture)
        {
            var settings = description is null ? [] : CheckpointMismatchException.SettingsDiff(State.Model.Settings, description.Settings);
            string header = description is null
                ? $"it holds {State.Model.Name} (fingerprint {State.Model.Fingerprint})"
                : $"it holds {State.Model.Name} (fingerprint {State.Model.Fingerprint}), this model is {description.Name} (fingerprint {description.Fingerprint})";
            IReadOnlyList<string> missing = tensors?.Missing ?? [], unexpected = tensors?.Unexpected ?? [],
                misshaped = tensors?.Misshaped ?? [], mistyped = tensors?.Mistyped ?? [];
            throw new CheckpointMismatchException(
                CheckpointMismatchException.Describe(Path, header, settings, missing, unexpected, misshaped, mistyped),
                missing, unexpected, misshaped, mistyped, settings);
        }
        Copy(file, own);
    }

    /// <summary>Copies the saved moments and step count into <paramref name="optimizer"/> (load the model first: it checks the architecture).</summary>
    /// <exception cref="StateDictMismatchException">The moments do not match the optimizer's parameters (names, shapes or dtypes).</exception>
    public void LoadOptimizer(AdamW optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        using var file = Safetensors.Load(System.IO.Path.Combine(Path, OptimizerFile));
        var own = optimizer.StateDict().ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
        var mismatch = Compare(own, file);
        if (mismatch is not null) throw mismatch;
        Copy(file, own);
        optimizer.StepCount = State.Optimizer.Step;
    }

    // Names, shapes and dtypes of the destination against the file's header; no data is read.
    private static StateDictMismatchException? Compare(IReadOnlyDictionary<string, Tensor> destination, SafetensorsFile file) =>
        StateDictMismatchException.Compare(
            destination.Select(kv => (kv.Key, kv.Value.shape, kv.Value.dtype.ToString())),
            file.Header.Entries.Select(e => (e.Name, e.Shape.ToArray(), e.DType.ToScalarType().ToString())));

    private static void Copy(SafetensorsFile file, IReadOnlyDictionary<string, Tensor> destination)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in destination)
        {
            using var saved = file.Get(name);
            tensor.copy_(saved);
        }
    }

    /// <summary>Writes the three files into <paramref name="folder"/> (an empty folder; <see cref="RunFolder"/> makes it atomic).</summary>
    internal static void Write(string folder, nn.Module model, AdamW optimizer, TrainingState state)
    {
        var metadata = new Dictionary<string, string>
        {
            // "pt" lets loaders that check the framework tag (transformers, safetensors.torch) accept the file.
            ["format"] = "pt",
            ["model"] = state.Model.Name,
            ["fingerprint"] = state.Model.Fingerprint,
            ["step"] = state.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Safetensors.Save(System.IO.Path.Combine(folder, ModelFile), model.state_dict(), metadata);
        Safetensors.Save(System.IO.Path.Combine(folder, OptimizerFile),
            optimizer.StateDict().ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal), new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.Write(System.IO.Path.Combine(folder, StateFile), stream =>
        {
            // Relaxed escaping keeps base64's '+' and paths readable; the text is JSON either way.
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            JsonSerializer.Serialize(writer, state, CheckpointJson.Default.TrainingState);
        });
    }

    /// <summary>The Composer version checkpoints record.</summary>
    public static string ComposerVersion { get; } =
        typeof(Checkpoint).Assembly.GetName().Version?.ToString(3) ?? "unknown";
}
