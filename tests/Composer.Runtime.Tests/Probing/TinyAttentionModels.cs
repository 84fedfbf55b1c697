using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Composer.Layers;
using Composer.Mixers;
using Composer.Models;
using TorchSharp;
using ModuleList = TorchSharp.Modules.ModuleList<TorchSharp.torch.nn.Module>;
using static TorchSharp.torch;

namespace Composer.Tests.Probing;

/// <summary>
/// Attention models as small as the PAPA probe can work on, built from Runtime's layers and registered
/// like generated ones: embeddings plus learned positions, <c>layers.N.mixer</c> softmax attentions with
/// residuals, then the output projection (a language model) or mean pooling and <c>classifier</c>.
/// </summary>
internal abstract class TinyAttentionModel : nn.Module<Tensor, Tensor?, Tensor>, ISequenceModel
{
    protected readonly Embedding Embed;
    protected readonly LearnedPositions? Positions;
    protected readonly SelfAttention[] Layers;

    protected TinyAttentionModel(string name, ModelKind kind, bool causal, int depth, int heads, int width, int maxLength, ModuleContext? context)
        : base(name)
    {
        context ??= ModuleContext.Cpu;
        register_module("embed", Embed = new Embedding(context, 256, width));
        if (maxLength > 0) register_module("positions", Positions = new LearnedPositions(context, maxLength, width));
        Layers = Enumerable.Range(0, depth)
            .Select(i => new SelfAttention(new MixerContext(context, width, Heads: heads, MaxLength: maxLength, Causal: causal, LayerIndex: i), new SelfAttentionOptions()))
            .ToArray();
        register_module("layers", new ModuleList(Layers.Select(l => (nn.Module)new Holder(l)).ToArray()));
        var settings = new List<KeyValuePair<string, string>>
        {
            new("Kind", kind.ToString()), new("Depth", Invariant(depth)), new("Heads", Invariant(heads)),
            new("Width", Invariant(width)), new("MaxLength", Invariant(maxLength)),
        };
        ulong hash = 14695981039346656037UL; // FNV-1a: stable across processes
        foreach (char c in name + string.Join(";", settings.Select(s => s.Key + "=" + s.Value))) hash = (hash ^ c) * 1099511628211UL;
        Settings = settings;
        Fingerprint = hash.ToString("x16", CultureInfo.InvariantCulture);
        Kind = kind;
        MaxLength = maxLength;
    }

    private readonly List<KeyValuePair<string, string>> Settings;
    private readonly string Fingerprint;
    private readonly ModelKind Kind;
    private readonly int MaxLength;

    /// <summary>The first attention layer.</summary>
    public SelfAttention Layer => Layers[0];

    public ModelDescription Description => new(GetType().Name, Kind, Settings, Fingerprint, parameters().Sum(p => p.numel()), MaxLength, []);

    protected Tensor Mix(Tensor tokens, Tensor? padding)
    {
        var h = Embed.forward(tokens);
        if (Positions is not null) h = Positions.forward(h);
        foreach (var layer in Layers) h = h + layer.forward(h, padding);
        return h;
    }

    protected override void RegisterComponents() { }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>layers.N holds the attention as <c>mixer</c>, the name generated blocks give it.</summary>
    private sealed class Holder : nn.Module
    {
        public Holder(SelfAttention mixer) : base("Block") => register_module("mixer", mixer);
        protected override void RegisterComponents() { }
    }
}

/// <summary>A causal language model of attention layers.</summary>
internal sealed class TinyAttentionLm : TinyAttentionModel, ILanguageModel
{
    private readonly Linear _output;

    public TinyAttentionLm(int depth = 1, int heads = 4, int width = 16, int maxLength = 128, ModuleContext? context = null)
        : base(nameof(TinyAttentionLm), ModelKind.LanguageModel, causal: true, depth, heads, width, maxLength, context)
    {
        register_module("output", _output = new Linear(context ?? ModuleContext.Cpu, width, 256));
    }

    public int Vocabulary => 256;

    public override Tensor forward(Tensor tokens, Tensor? padding) => _output.forward(Mix(tokens, padding));

    public IDecodingState NewState(long batchSize) => new State(Layers.Select(l => l.NewState(batchSize)).ToArray());

    public Tensor Step(Tensor token, IDecodingState state)
    {
        var s = (State)state;
        var h = Embed.forward(token);
        if (Positions is not null) h = Positions.forward(h, s.Position);
        for (int i = 0; i < Layers.Length; i++) h = h + Layers[i].Step(h, s.Caches[i]);
        s.Position++;
        return _output.forward(h);
    }

    public static ModelEntry Entry(int maxLength = 128) => new(new TinyAttentionLm(maxLength: maxLength).Description, c => new TinyAttentionLm(maxLength: maxLength, context: c));

    private sealed class State(KeyValueCache[] caches) : IDecodingState
    {
        public KeyValueCache[] Caches { get; } = caches;
        public long Position { get; set; }
        public void Reorder(Tensor indices) { foreach (var c in Caches) c.Reorder(indices); }
        public void Dispose() { foreach (var c in Caches) c.Dispose(); }
    }
}

/// <summary>An encoder-only classifier of attention layers: mean pooling, then <c>classifier</c>.</summary>
internal sealed class TinyAttentionClassifier : TinyAttentionModel, IClassifier
{
    private readonly Linear _classifier;

    public TinyAttentionClassifier(int depth = 1, int heads = 4, int width = 16, int maxLength = 128, ModuleContext? context = null)
        : base(nameof(TinyAttentionClassifier), ModelKind.Classifier, causal: false, depth, heads, width, maxLength, context)
    {
        register_module("classifier", _classifier = new Linear(context ?? ModuleContext.Cpu, width, 2));
    }

    public int Vocabulary => 256;
    public int Classes => 2;

    public override Tensor forward(Tensor tokens, Tensor? padding) => _classifier.forward(SequencePooling.Mean(Mix(tokens, padding), padding));

    public static ModelEntry Entry() => new(new TinyAttentionClassifier().Description, c => new TinyAttentionClassifier(context: c));
}
