using System;
using System.Collections.Generic;
using Composer.Models;

namespace Composer.Data;

/// <summary>
/// Everything the training loop needs from the data, for one model kind: the training stream, the
/// validation set, an optional contrastive test set, the tokenizer (for prompts and for showing
/// generated text) and, for classifiers, the class names. Made by <see cref="DataFiles.Open"/>
/// (<c>--data FILE</c>) or <see cref="Tasks.BuiltInTasks.Create(string, ModelKind, DataOptions?, Tasks.TaskOptions?)"/> (<c>--task NAME</c>); owns any
/// open files and closes them on <see cref="Dispose"/>.
/// </summary>
public sealed class TrainingData : IDisposable
{
    private readonly IDisposable[] _owned;

    internal TrainingData(
        string name, ModelKind kind, ITokenizer tokenizer, IBatchSource train, IEvaluationSet validation,
        ContrastiveEvaluationSet? test, IReadOnlyList<string> labels, int longestSequence,
        IReadOnlyList<string> summary, params IDisposable[] owned)
    {
        Name = name;
        Kind = kind;
        Tokenizer = tokenizer;
        Train = train;
        Validation = validation;
        Test = test;
        Labels = labels;
        LongestSequence = longestSequence;
        Summary = summary;
        _owned = owned;
    }

    /// <summary>The task name or the training file's path.</summary>
    public string Name { get; }

    /// <summary>The model kind the batches are shaped for.</summary>
    public ModelKind Kind { get; }

    /// <summary>How token ids map to text.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>Number of token ids the data may use (a model's vocabulary must be at least this).</summary>
    public int Vocabulary => Tokenizer.Vocabulary;

    /// <summary>Classifiers: the class names, indexed by class id (the mapping to report). Empty otherwise.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Classifiers: number of classes (0 otherwise).</summary>
    public int Classes => Labels.Count;

    /// <summary>The longest sequence any batch will hold (what a model's maximum length must cover).</summary>
    public int LongestSequence { get; }

    /// <summary>The endless, resumable training stream.</summary>
    public IBatchSource Train { get; }

    /// <summary>
    /// The validation set (loss, early stopping, best checkpoint). It is an
    /// <see cref="ExampleEvaluationSet{T}"/> for in-memory examples (their <c>Examples</c> serve
    /// exact-match metrics), a <see cref="CorpusEvaluationSet"/> for text, and a
    /// <see cref="ContrastiveEvaluationSet"/> for the agreement task (accuracy besides the loss).
    /// </summary>
    public IEvaluationSet Validation { get; }

    /// <summary>The agreement task's test set: fixed distances, contrastive accuracy per distance. Null for other data.</summary>
    public ContrastiveEvaluationSet? Test { get; }

    /// <summary>Lines describing the data for the run's log (sizes, lengths, seed, label mapping).</summary>
    public IReadOnlyList<string> Summary { get; }

    /// <summary>
    /// Checks that <paramref name="model"/> can train on this data: its kind, vocabulary, number of
    /// classes and maximum length.
    /// </summary>
    /// <exception cref="DataException">The model does not fit the data; the message says what to change.</exception>
    public void EnsureFits(ISequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var d = model.Description;
        if (d.Kind != Kind)
            throw new DataException($"{Name}: the data is shaped for a {KindName(Kind)} but {d.Name} is a {KindName(d.Kind)}");
        switch (model)
        {
            case ILanguageModel lm: CheckVocabulary(d.Name, "Vocabulary", lm.Vocabulary); break;
            case IClassifier c:
                CheckVocabulary(d.Name, "Vocabulary", c.Vocabulary);
                if (c.Classes < Classes)
                    throw new DataException($"{Name}: the data has {Classes} classes ({string.Join(", ", Labels)}) but {d.Name} declares Classes = {c.Classes}");
                break;
            case ISeq2SeqModel s:
                CheckVocabulary(d.Name, "SourceVocabulary", s.SourceVocabulary);
                CheckVocabulary(d.Name, "TargetVocabulary", s.TargetVocabulary);
                break;
        }
        if (d.MaxLength > 0 && LongestSequence > d.MaxLength)
            throw new DataException($"{Name}: the data has sequences of {LongestSequence} tokens but {d.Name} declares MaxLength = {d.MaxLength}; use shorter windows or examples, or raise MaxLength");
    }

    private void CheckVocabulary(string model, string setting, int declared)
    {
        if (declared < Vocabulary)
            throw new DataException($"{Name}: the data uses token ids 0–{Vocabulary - 1} (UTF-8 bytes and the reserved PAD/BOS/EOS {SpecialTokens.Pad}–{SpecialTokens.Eos}) but {model} declares {setting} = {declared}; declare {setting} = {Vocabulary}");
    }

    internal static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.LanguageModel => "language model",
        ModelKind.Seq2Seq => "seq2seq model",
        _ => "classifier",
    };

    /// <summary>Closes the files the data reads from.</summary>
    public void Dispose()
    {
        Train.Dispose();
        foreach (var owned in _owned) owned.Dispose();
    }
}
