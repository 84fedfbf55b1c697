using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Checkpoints;

/// <summary>
/// Saves a model whose weights came from a checkpoint and which a probe has changed since (PAPA's constant
/// heads, a retrained classifier head) as a checkpoint of its own, so <c>evaluate</c>, <c>generate</c> and
/// <c>train --resume</c> take it: the new weights, and the source's optimizer moments and training state
/// as they were (same architecture, same step). Written like every checkpoint: atomically, into a run folder.
/// </summary>
public static class ProbedCheckpoint
{
    /// <summary>
    /// Writes <paramref name="model"/> as checkpoint <c>checkpoint-&lt;step&gt;</c> of the run folder
    /// <paramref name="folder"/> (its <c>best</c> and <c>last</c>), with <paramref name="note"/> in the weights'
    /// metadata. Returns the checkpoint folder.
    /// </summary>
    /// <exception cref="ArgumentException">The folder is the source checkpoint's own run folder, whose checkpoint it would replace.</exception>
    /// <exception cref="IOException">Another process is writing into the folder.</exception>
    public static string Save(string folder, nn.Module model, Checkpoint source, string note)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        string target = Path.GetFullPath(folder);
        string sourceFolder = Path.GetFullPath(source.Path);
        if (target == sourceFolder || target == Path.GetDirectoryName(sourceFolder))
            throw new ArgumentException($"'{folder}' holds the checkpoint being probed, which saving there would replace; choose another folder");
        var run = new RunFolder(folder);
        using var writer = run.Lock();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["model"] = source.State.Model.Name,
            ["fingerprint"] = source.State.Model.Fingerprint,
            ["step"] = source.State.Step.ToString(CultureInfo.InvariantCulture),
            ["probe"] = note,
            ["probed_checkpoint"] = sourceFolder,
        };
        return run.Save(source.State.Step, temporary =>
        {
            Safetensors.Save(Path.Combine(temporary, Checkpoint.ModelFile), model.state_dict(), metadata);
            foreach (var file in new[] { Checkpoint.OptimizerFile, Checkpoint.StateFile })
            {
                using var original = File.OpenRead(Path.Combine(source.Path, file));
                AtomicFile.Write(Path.Combine(temporary, file), stream => original.CopyTo(stream));
            }
        }, isBest: true, keepLast: 1);
    }
}
