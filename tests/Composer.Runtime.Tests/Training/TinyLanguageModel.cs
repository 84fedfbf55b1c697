using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Composer.Layers;
using Composer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>
/// The smallest model the trainer can train: embedding → dropout → linear+ReLU → linear, position-wise
/// (each next token is predicted from the current one), which is all the synthetic task needs. A
/// TorchSharp module built from Runtime/Layers only, registered explicitly like a generated model.
/// Dotted names: embed.weight, hidden.weight, hidden.bias, output.weight, output.bias.
/// </summary>
internal sealed class TinyLanguageModel : nn.Module<Tensor, Tensor?, Tensor>, ILanguageModel
{
    private static readonly Scalar NaN = double.NaN;
    private readonly Embedding _embed;
    private readonly Dropout _dropout;
    private readonly Linear? _hidden;
    private readonly Linear _output;
    private readonly Linear? _extra;

    /// <param name="hidden">Width of the hidden layer; 0 leaves it out (embed → output).</param>
    /// <param name="extra">Adds a layer "extra" (V → V) after the output: a tensor set other models lack.</param>
    public TinyLanguageModel(int vocabulary = 16, int width = 16, double dropout = 0.0, int hidden = 32, bool extra = false, ModuleContext? context = null)
        : base(nameof(TinyLanguageModel))
    {
        context ??= ModuleContext.Cpu;
        Vocabulary = vocabulary;
        register_module("embed", _embed = new Embedding(context, vocabulary, width));
        register_module("dropout", _dropout = new Dropout(dropout));
        if (hidden > 0) register_module("hidden", _hidden = new Linear(context, width, hidden));
        register_module("output", _output = new Linear(context, hidden > 0 ? hidden : width, vocabulary));
        if (extra) register_module("extra", _extra = new Linear(context, vocabulary, vocabulary));
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
        Description = new ModelDescription("TinyLanguageModel", ModelKind.LanguageModel, settings, fingerprint, parameters().Sum(p => p.numel()), 0, []);
    }

    public ModelDescription Description { get; }
    public int Vocabulary { get; }

    /// <summary>Set by tests to make every later forward pass produce NaN logits.</summary>
    public bool Poisoned { get; set; }

    /// <summary>How many forward passes ran in training mode and in evaluation mode.</summary>
    public int TrainingForwards { get; private set; }
    public int EvaluationForwards { get; private set; }

    public override Tensor forward(Tensor tokens, Tensor? padding)
    {
        if (training) TrainingForwards++; else EvaluationForwards++;
        var x = _dropout.forward(_embed.forward(tokens));
        var logits = _output.forward(_hidden is null ? x : _hidden.forward(x).relu());
        if (_extra is not null) logits = _extra.forward(logits);
        return Poisoned ? logits.mul(NaN) : logits;
    }

    /// <summary>Every parameter's values, concatenated in registration order.</summary>
    public float[] FlatParameters()
    {
        using var scope = NewDisposeScope();
        return parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray();
    }

    public IDecodingState NewState(long batchSize) => new State();

    public Tensor Step(Tensor token, IDecodingState state) => forward(token, null);

    protected override void RegisterComponents() { }

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
