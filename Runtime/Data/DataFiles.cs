using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Composer.Models;

namespace Composer.Data;

/// <summary>
/// Training data from the user's files (<c>--data FILE [--validation FILE]</c>), by model kind:
/// <list type="bullet">
/// <item>language model: a UTF-8 text file, read as fixed-length byte windows without loading it whole;</item>
/// <item>seq2seq: a TSV file of <c>source&lt;TAB&gt;target</c> lines;</item>
/// <item>classifier: a TSV file of <c>label&lt;TAB&gt;text</c> lines (labels become class ids, see <see cref="TrainingData.Labels"/>).</item>
/// </list>
/// Without a validation file, a fraction of the training file is held out: the file's tail for text
/// (so no validation window neighbours a training one), random lines chosen by the seed for TSV.
/// </summary>
public static class DataFiles
{
    /// <summary>Opens the data for a model of <paramref name="kind"/>.</summary>
    /// <exception cref="DataException">A file is missing, empty, not UTF-8, malformed, too small, or holds an example that does not fit.</exception>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public static TrainingData Open(ModelKind kind, string trainPath, string? validationPath = null, DataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trainPath);
        options ??= new DataOptions();
        options.Validate();
        return kind switch
        {
            ModelKind.LanguageModel => OpenText(trainPath, validationPath, options),
            ModelKind.Seq2Seq => OpenPairs(trainPath, validationPath, options),
            _ => OpenLabeled(trainPath, validationPath, options),
        };
    }

    private static TrainingData OpenText(string trainPath, string? validationPath, DataOptions options)
    {
        int t = options.WindowLength;
        if (options.MaxLength is { } max && t > max)
            throw new ArgumentException($"the window length {t} is longer than the model's maximum length {max}; use a window of at most {max}");
        if (t > options.TokensPerBatch)
            throw new ArgumentException($"the token budget per batch ({options.TokensPerBatch}) is smaller than one window of {t} tokens; raise the budget or shorten the windows");

        var owned = new List<IDisposable>();
        try
        {
            var corpus = TextCorpus.Open(trainPath, options.ReadBufferBytes);
            owned.Add(corpus);
            long windows = CorpusWindows.Fit(corpus.Length, t);
            CorpusBatchSource train;
            CorpusEvaluationSet validation;
            string held;
            if (validationPath is null)
            {
                long heldOut = options.ValidationFraction > 0 ? Math.Max(1, (long)Math.Round(windows * options.ValidationFraction)) : 0;
                if (windows - heldOut < 1)
                    throw DataException.At(trainPath, null, $"the file has {corpus.Length} bytes, too few for {(heldOut > 0 ? "a training and a validation window" : "one window")} of {t + 1} bytes; use shorter windows or more text");
                train = new CorpusBatchSource(corpus, 0, windows - heldOut, t, options.TokensPerBatch, options.Seed);
                validation = new CorpusEvaluationSet(corpus, windows - heldOut, heldOut, t, options.TokensPerBatch);
                held = $"{heldOut} validation windows from the file's last {options.ValidationFraction * 100:0.##}%";
            }
            else
            {
                if (windows < 1) throw DataException.At(trainPath, null, $"the file has {corpus.Length} bytes, fewer than one window of {t + 1} bytes; use shorter windows or more text");
                var validationCorpus = TextCorpus.Open(validationPath, options.ReadBufferBytes);
                owned.Add(validationCorpus);
                long validationWindows = CorpusWindows.Fit(validationCorpus.Length, t);
                if (validationWindows < 1) throw DataException.At(validationPath, null, $"the file has {validationCorpus.Length} bytes, fewer than one window of {t + 1} bytes; use shorter windows or more text");
                train = new CorpusBatchSource(corpus, 0, windows, t, options.TokensPerBatch, options.Seed);
                validation = new CorpusEvaluationSet(validationCorpus, 0, validationWindows, t, options.TokensPerBatch);
                held = $"{validationWindows} validation windows from {validationPath}";
            }
            var summary = new[]
            {
                $"data {trainPath} (language model, byte tokens): {corpus.Length:N0} bytes, {train.Windows:N0} training windows of {t} tokens, {held}",
                $"batches of {train.Rows} windows ({train.Rows * t} tokens), shuffled with seed {options.Seed}",
            };
            return new TrainingData(trainPath, ModelKind.LanguageModel, ByteTokenizer.Instance, train, validation, null, [], t, summary, owned.ToArray());
        }
        catch
        {
            foreach (var o in owned) o.Dispose();
            throw;
        }
    }

    private static TrainingData OpenPairs(string trainPath, string? validationPath, DataOptions options)
    {
        string[] layout = ["source", "target"];
        List<(Seq2SeqExample Example, long Line)> Read(string path) =>
            TsvReader.Read(path, layout).Select(line =>
            {
                var where = $"{path}:{line.Number}";
                var example = new Seq2SeqExample(ByteTokenizer.EncodeUtf8(line.Fields[0], where), ByteTokenizer.EncodeUtf8(line.Fields[1], where));
                options.CheckLength(example.Length, where);
                return (example, line.Number);
            }).ToList();

        var (train, validation, held) = SplitOrRead(Read(trainPath), validationPath is null ? null : Read(validationPath), trainPath, validationPath, options);
        int longest = train.Concat(validation).Max(e => e.Length);
        var summary = new[]
        {
            $"data {trainPath} (seq2seq, byte tokens): {train.Count:N0} training pairs, {held}",
            $"batches of at most {options.TokensPerBatch} tokens, length-bucketed, shuffled with seed {options.Seed}; longest sequence {longest}",
        };
        return new TrainingData(trainPath, ModelKind.Seq2Seq, ByteTokenizer.Instance,
            new ExampleBatchSource<Seq2SeqExample>(train, options.TokensPerBatch, options.Seed),
            new ExampleEvaluationSet<Seq2SeqExample>(validation, options.TokensPerBatch), null, [], longest, summary);
    }

    private static TrainingData OpenLabeled(string trainPath, string? validationPath, DataOptions options)
    {
        string[] layout = ["label", "text"];
        var trainLines = TsvReader.Read(trainPath, layout);
        var labels = LabelOrder(trainLines.Select(l => Label(l.Fields[0], trainPath, l.Number)).Distinct());
        var ids = labels.Select((label, id) => (label, id)).ToDictionary(p => p.label, p => p.id, StringComparer.Ordinal);

        List<(ClassifierExample Example, long Line)> Convert(string path, List<TsvLine> lines) => lines.Select(line =>
        {
            var where = $"{path}:{line.Number}";
            var label = Label(line.Fields[0], path, line.Number);
            if (!ids.TryGetValue(label, out int id))
                throw new DataException($"{where}: the label '{label}' does not occur in the training data {trainPath} (labels: {string.Join(", ", labels)})");
            var example = new ClassifierExample(ByteTokenizer.EncodeUtf8(line.Fields[1], where), id);
            options.CheckLength(example.Length, where);
            return (example, line.Number);
        }).ToList();

        var (train, validation, held) = SplitOrRead(
            Convert(trainPath, trainLines), validationPath is null ? null : Convert(validationPath, TsvReader.Read(validationPath, layout)),
            trainPath, validationPath, options);
        int longest = train.Concat(validation).Max(e => e.Length);
        var summary = new[]
        {
            $"data {trainPath} (classifier, byte tokens): {train.Count:N0} training texts, {held}",
            $"labels: {string.Join(", ", labels.Select((label, id) => $"{label} → {id}"))}",
            $"batches of at most {options.TokensPerBatch} tokens, length-bucketed, shuffled with seed {options.Seed}; longest sequence {longest}",
        };
        return new TrainingData(trainPath, ModelKind.Classifier, ByteTokenizer.Instance,
            new ExampleBatchSource<ClassifierExample>(train, options.TokensPerBatch, options.Seed),
            new ExampleEvaluationSet<ClassifierExample>(validation, options.TokensPerBatch), null, labels, longest, summary);
    }

    /// <summary>The validation file's examples, or a seeded random part of the training file's.</summary>
    private static (List<T> Train, List<T> Validation, string Held) SplitOrRead<T>(
        List<(T Example, long Line)> train, List<(T Example, long Line)>? validation, string trainPath, string? validationPath, DataOptions options)
    {
        if (validation is not null)
            return (train.Select(e => e.Example).ToList(), validation.Select(e => e.Example).ToList(), $"{validation.Count:N0} validation examples from {validationPath}");
        var (trainIndices, heldIndices) = DataSplit.Indices(train.Count, options.ValidationFraction, options.Seed);
        if (trainIndices.Length == 0)
            throw DataException.At(trainPath, null, $"only {train.Count} example(s): too few to hold out {options.ValidationFraction * 100:0.##}% for validation and still train; add examples or give a validation file");
        return (trainIndices.Select(i => train[i].Example).ToList(), heldIndices.Select(i => train[i].Example).ToList(),
            $"{heldIndices.Length:N0} held out for validation ({options.ValidationFraction * 100:0.##}%, chosen by seed {options.Seed})");
    }

    private static string Label(byte[] field, string path, long line)
    {
        var label = Encoding.UTF8.GetString(field).Trim();
        if (label.Length == 0) throw DataException.At(path, line, "malformed TSV line: the label field is empty");
        return label;
    }

    /// <summary>Class ids follow the labels' numeric order when every label is an integer ("0", "1", "10"), their ordinal order otherwise.</summary>
    private static string[] LabelOrder(IEnumerable<string> labels)
    {
        var all = labels.ToArray();
        bool numeric = all.All(l => long.TryParse(l, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        return numeric
            ? all.OrderBy(l => long.Parse(l, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).ToArray()
            : all.Order(StringComparer.Ordinal).ToArray();
    }
}
