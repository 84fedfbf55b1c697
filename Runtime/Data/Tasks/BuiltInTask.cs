using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Models;

namespace Composer.Data.Tasks;

/// <summary>A task generated from the seed: no download, the same data for the same seed and settings.</summary>
internal abstract class BuiltInTask
{
    /// <summary>Name, kinds, vocabulary and settings.</summary>
    public abstract TaskInfo Info { get; }

    /// <summary>The task's data for a model of <paramref name="kind"/> (one of <see cref="TaskInfo.Kinds"/>).</summary>
    public abstract TrainingData Create(ModelKind kind, DataOptions data, TaskOptions options);

    /// <summary>Refuses settings this task does not have, so a typo'd flag is not silently ignored.</summary>
    protected void RefuseOthers(TaskOptions options, params string[] accepted)
    {
        var given = new (string Name, bool Set)[]
        {
            (nameof(TaskOptions.Lengths), options.Lengths is not null),
            (nameof(TaskOptions.Digits), options.Digits is not null),
            (nameof(TaskOptions.MaxDistance), options.MaxDistance is not null),
            (nameof(TaskOptions.TestDistances), options.TestDistances is not null),
            (nameof(TaskOptions.TestExamplesPerDistance), options.TestExamplesPerDistance is not null),
            (nameof(TaskOptions.TrainExamples), options.TrainExamples is not null),
            (nameof(TaskOptions.ValidationExamples), options.ValidationExamples is not null),
        };
        foreach (var (name, set) in given)
            if (set && !accepted.Contains(name))
                throw new ArgumentException($"the {Info.Name} task has no {name} setting; it takes {string.Join(", ", accepted)}");
    }

    /// <summary>A positive count setting or its default.</summary>
    protected static int Count(int? value, int @default, string name)
    {
        int count = value ?? @default;
        if (count < 1) throw new ArgumentException($"{name} must be at least 1, not {count}");
        return count;
    }

    /// <summary>Refuses settings whose longest example would not fit the model or a batch.</summary>
    protected void CheckLongest(int longest, DataOptions data, string setting)
    {
        if (data.MaxLength is { } max && longest > max)
            throw new ArgumentException($"the {Info.Name} task's longest sequence is {longest} tokens, more than the model's maximum length of {max}; lower {setting}");
        if (longest > data.TokensPerBatch)
            throw new ArgumentException($"the {Info.Name} task's longest sequence is {longest} tokens, more than the token budget of {data.TokensPerBatch} per batch; raise the budget or lower {setting}");
    }

    /// <summary>"language model" etc., for summaries.</summary>
    protected static string KindName(ModelKind kind) => TrainingData.KindName(kind);

    /// <summary>The batching line every summary ends with.</summary>
    protected static string BatchingLine(DataOptions data, int longest) =>
        $"batches of at most {data.TokensPerBatch} tokens, length-bucketed, shuffled with seed {data.Seed}; longest sequence {longest}";
}
