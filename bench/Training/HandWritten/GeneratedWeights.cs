using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace Composer.Bench.Training.HandWritten;

/// <summary>
/// Moves weights between a Composer-generated model's state dict (its dotted names:
/// <c>embed.weight</c>, <c>layers.3.mixer.qkv_proj.weight</c>, …) and a hand-written <see cref="DecoderLm"/>
/// (nanoGPT's names: <c>wte.weight</c>, <c>blocks.3.mixer.c_attn.weight</c>, …), checking names and shapes,
/// which TorchSharp's own <c>load_state_dict</c> does not.
/// </summary>
internal static class GeneratedWeights
{
    /// <summary>The hand-written name of the parameter a generated model calls <paramref name="generated"/>.</summary>
    /// <exception cref="ArgumentException">The name belongs to no parameter these architectures have.</exception>
    public static string HandWrittenName(string generated) => generated.Split('.') switch
    {
        ["embed", "weight"] => "wte.weight",
        ["norm", var p] => $"ln_f.{p}",
        ["output", "weight"] => "lm_head.weight",
        ["layers", var i, "mixer_norm", var p] => $"blocks.{i}.ln_1.{p}",
        ["layers", var i, "ffn_norm", var p] => $"blocks.{i}.ln_2.{p}",
        ["layers", var i, "ffn", "fc1", var p] => $"blocks.{i}.mlp.c_fc.{p}",
        ["layers", var i, "ffn", "fc2", var p] => $"blocks.{i}.mlp.c_proj.{p}",
        ["layers", var i, "mixer", "qkv_proj", var p] => $"blocks.{i}.mixer.c_attn.{p}",
        ["layers", var i, "mixer", "in_proj", var p] => $"blocks.{i}.mixer.c_in.{p}",
        ["layers", var i, "mixer", "weight"] => $"blocks.{i}.mixer.kernel",
        ["layers", var i, "mixer", "out_proj", var p] => $"blocks.{i}.mixer.c_proj.{p}",
        _ => throw new ArgumentException($"'{generated}' is no parameter of a generated TransformerLm or LightConvLm, so the hand-written model has nothing to load it into", nameof(generated)),
    };

    /// <summary>
    /// Copies <paramref name="generated"/> (a generated model's parameters by dotted name) into
    /// <paramref name="model"/>; every hand-written parameter must receive exactly one tensor of its shape.
    /// </summary>
    /// <exception cref="InvalidOperationException">Names are missing, left over or mis-shaped; the message lists them all.</exception>
    public static void Load(DecoderLm model, IReadOnlyDictionary<string, Tensor> generated)
    {
        var targets = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var problems = new List<string>();
        var filled = new HashSet<string>();
        var copies = new List<(Tensor To, Tensor From)>();
        foreach (var (name, tensor) in generated)
        {
            string mine = HandWrittenName(name);
            if (!targets.TryGetValue(mine, out var target)) problems.Add($"{name} → {mine}: the hand-written model has no such parameter");
            else if (!target.shape.SequenceEqual(tensor.shape) || target.dtype != tensor.dtype)
                problems.Add($"{name} → {mine}: {tensor.dtype} [{string.Join(", ", tensor.shape)}] where the hand-written model has {target.dtype} [{string.Join(", ", target.shape)}]");
            else if (filled.Add(mine)) copies.Add((target, tensor));
            else problems.Add($"{name} → {mine}: a second tensor for the same parameter");
        }
        problems.AddRange(targets.Keys.Except(filled).Select(name => $"{name}: nothing in the generated model's weights maps onto it"));
        if (problems.Count > 0)
            throw new InvalidOperationException("the generated weights do not fit the hand-written model, so the two would not be the same model:\n  " + string.Join("\n  ", problems));
        using var noGrad = no_grad();
        foreach (var (to, from) in copies) to.copy_(from);
    }
}
