using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Composer.Layers;
using Composer.Models;
using Composer.Tensors;

namespace Composer.Tests.Training;

/// <summary>
/// The smallest model the trainer can train: embedding → dropout → linear+ReLU → linear, position-wise
/// (each next token is predicted from the current one), which is all the synthetic task needs.
/// Dotted names: embed.weight, hidden.weight, hidden.bias, output.weight, output.bias.
/// </summary>
internal sealed class TinyLanguageModel : Module, ILanguageModel
{
    private readonly Embedding _embed;
    private readonly Dropout _dropout;
    private readonly Linear? _hidden;
    private readonly Linear _output;
    private readonly Linear? _extra;

    /// <param name="hidden">Width of the hidden layer; 0 leaves it out (embed → output).</param>
    /// <param name="extra">Adds a layer "extra" (V → V) after the output: a tensor set other models lack.</param>
    public TinyLanguageModel(int vocabulary = 16, int width = 16, double dropout = 0.0, int hidden = 32, bool extra = false, ModuleContext? context = null)
    {
        context ??= ModuleContext.Cpu;
        Vocabulary = vocabulary;
        _embed = RegisterModule("embed", new Embedding(context, vocabulary, width));
        _dropout = RegisterModule("dropout", new Dropout(dropout));
        if (hidden > 0) _hidden = RegisterModule("hidden", new Linear(context, width, hidden));
        _output = RegisterModule("output", new Linear(context, hidden > 0 ? hidden : width, vocabulary));
        if (extra) _extra = RegisterModule("extra", new Linear(context, vocabulary, vocabulary));
        var settings = new List<KeyValuePair<string, string>>
        {
            new("Vocabulary", vocabulary.ToString(CultureInfo.InvariantCulture)),
            new("Width", width.ToString(CultureInfo.InvariantCulture)),
            new("Hidden", hidden.ToString(CultureInfo.InvariantCulture)),
            new("Dropout", dropout.ToString("R", CultureInfo.InvariantCulture)),
        };
        if (extra) settings.Add(new("Extra", "true"));
        // Stable across processes (string.GetHashCode is not), like a generated model's fingerprint.
        string fingerprint = StableHash(string.Join(";", settings.Select(s => s.Key + "=" + s.Value)));
        Description = new ModelDescription("TinyLanguageModel", ModelKind.LanguageModel, settings, fingerprint, ParameterCount(), 0, []);
    }

    public ModelDescription Description { get; }
    public int Vocabulary { get; }

    /// <summary>Set by tests to make every later forward pass produce NaN logits.</summary>
    public bool Poisoned { get; set; }

    /// <summary>How many forward passes ran in training mode and in evaluation mode.</summary>
    public int TrainingForwards { get; private set; }
    public int EvaluationForwards { get; private set; }

    public Tensor Forward(Tensor tokens, Tensor? padding)
    {
        if (Training) TrainingForwards++; else EvaluationForwards++;
        var x = _dropout.Forward(_embed.Forward(tokens));
        var logits = _output.Forward(_hidden is null ? x : _hidden.Forward(x).Relu());
        if (_extra is not null) logits = _extra.Forward(logits);
        return Poisoned ? logits * double.NaN : logits;
    }

    public IDecodingState NewState(long batchSize) => new State();

    public Tensor Step(Tensor token, IDecodingState state) => Forward(token, null);

    private sealed class State : IDecodingState
    {
        public long Position => 0;
        public void Reorder(Tensor indices) { }
        public void Dispose() { }
    }

    private static string StableHash(string text)
    {
        ulong hash = 14695981039346656037UL; // FNV-1a
        foreach (char c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
