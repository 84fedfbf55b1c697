using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Models;

namespace Composer.Data.Tasks;

/// <summary>
/// The tasks every sample can train on without a download (<c>--task NAME</c>): copy, reverse, sort
/// and addition for seq2seq models (and language models, as prompt → answer), and agreement for
/// language models and classifiers. Data is generated from the seed, so the same seed and settings
/// give the same examples on every machine.
/// </summary>
public static class BuiltInTasks
{
    private static readonly BuiltInTask[] s_tasks =
        [SymbolTask.Copy, SymbolTask.Reverse, SymbolTask.Sort, AdditionTask.Instance, AgreementTask.Instance];

    /// <summary>Every task, in the order help lists them.</summary>
    public static IReadOnlyList<TaskInfo> All { get; } = s_tasks.Select(t => t.Info).ToArray();

    /// <summary>The task called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static TaskInfo? Find(string name) => FindTask(name)?.Info;

    /// <summary>
    /// The data of task <paramref name="name"/> for a model of <paramref name="kind"/>. The data
    /// options' seed, token budget and maximum length apply; the rest of them concern files.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown task, a kind the task does not serve, or settings out of range / not the task's
    /// (the command line reports these as usage errors).</exception>
    public static TrainingData Create(string name, ModelKind kind, DataOptions? data = null, TaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var task = FindTask(name)
            ?? throw new ArgumentException($"there is no built-in task '{name}'; the tasks are {string.Join(", ", All.Select(t => t.Name))}");
        if (!task.Info.Kinds.Contains(kind))
            throw new ArgumentException($"the {task.Info.Name} task trains {string.Join(" and ", task.Info.Kinds.Select(k => TrainingData.KindName(k) + "s"))}, not {TrainingData.KindName(kind)}s; tasks for {TrainingData.KindName(kind)}s: {string.Join(", ", All.Where(t => t.Kinds.Contains(kind)).Select(t => t.Name))}");
        data ??= new DataOptions();
        data.Validate();
        return task.Create(kind, data, options ?? new TaskOptions());
    }

    private static BuiltInTask? FindTask(string name) =>
        s_tasks.FirstOrDefault(t => string.Equals(t.Info.Name, name, StringComparison.OrdinalIgnoreCase));
}
