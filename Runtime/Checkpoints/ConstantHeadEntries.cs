using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Mixers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Checkpoints;

/// <summary>
/// The constant heads a checkpoint carries (the PAPA probe's <c>&lt;layer&gt;.constant_heads.heads</c> and
/// <c>.matrix</c>, see <see cref="ConstantHeads"/>) are part of the weights, but a freshly built model has
/// none: before the names are compared, each softmax attention of the model is given the constant heads
/// the checkpoint lists for it, with room for their matrices, and an attention the checkpoint lists none
/// for gets all its heads back. The checkpoint decides, so <c>evaluate</c> and <c>generate</c> take a
/// probed checkpoint like any other.
/// </summary>
internal static class ConstantHeadEntries
{
    private const string Suffix = ".constant_heads.";

    /// <summary>
    /// Shapes <paramref name="model"/>'s attentions after <paramref name="file"/>. Entries of a layer that is
    /// no softmax attention are left alone: the name comparison then reports them as unexpected.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">A layer's head list is not a list of distinct heads of that layer, or its matrix is missing or mis-shaped; nothing was changed.</exception>
    public static void Prepare(nn.Module model, SafetensorsFile file, string checkpoint)
    {
        var attentions = model.named_modules().Where(m => m.module is SelfAttention).Select(m => (m.name, Attention: (SelfAttention)m.module)).ToList();
        var plan = new List<(SelfAttention Attention, long[] Heads, long[] MatrixShape)>();
        var problems = new List<string>();
        foreach (var (name, attention) in attentions)
        {
            string headsName = name + Suffix + "heads", matrixName = name + Suffix + "matrix";
            if (!file.Header.TryGetEntry(headsName, out var headsEntry))
            {
                plan.Add((attention, [], []));
                continue;
            }
            if (headsEntry.DType != SafetensorsDType.I64 || headsEntry.Shape.Count != 1)
            {
                problems.Add($"{headsName} must be int64 (K), found {headsEntry.DType} [{string.Join(", ", headsEntry.Shape)}]");
                continue;
            }
            long[] heads;
            using (var stored = file.Get(headsName)) heads = stored.data<long>().ToArray();
            if (heads.Length == 0 || heads.Any(h => h < 0 || h >= attention.Heads) || !heads.Zip(heads.Skip(1)).All(p => p.First < p.Second))
            {
                problems.Add($"{headsName} must list distinct heads of 0–{attention.Heads - 1} in ascending order, found [{string.Join(", ", heads)}]");
                continue;
            }
            long[] expected = [heads.Length, attention.MaxLength, attention.MaxLength];
            if (!file.Header.TryGetEntry(matrixName, out var matrixEntry) || !matrixEntry.Shape.SequenceEqual(expected))
            {
                problems.Add(matrixEntry is null
                    ? $"{matrixName} is missing (it holds Ā of the heads {headsName} lists)"
                    : $"{matrixName} must be [{string.Join(", ", expected)}], found [{string.Join(", ", matrixEntry.Shape)}]");
                continue;
            }
            plan.Add((attention, heads, expected));
        }
        if (problems.Count > 0)
        {
            string message = CheckpointMismatchException.Describe(checkpoint, "its constant heads do not fit this model's attention layers", [], [], [], problems, []);
            throw new CheckpointMismatchException(message, [], [], problems, [], []);
        }
        foreach (var (attention, heads, shape) in plan)
        {
            if (heads.Length == 0)
            {
                attention.RestoreHeads();
                continue;
            }
            // The values arrive with the other weights; ascending heads keep the stored order of the rows.
            using var room = zeros(shape, ScalarType.Float32);
            attention.UseConstantHeads(heads, room);
        }
    }
}
