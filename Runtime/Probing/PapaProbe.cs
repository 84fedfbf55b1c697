using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Composer.Data;
using Composer.Models;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Probing;

/// <summary>
/// "How much does attention actually attend?" (Hassid et al. 2022; MIXERS.md §7, §7a) as a procedure on
/// a trained Composer model: average every softmax-attention head's weights over the training split into
/// a constant Ā, rank the heads (<see cref="HeadOrder"/>), replace growing fractions of them by constant
/// heads, and score the model at each fraction. Language and seq2seq models are scored zero-shot;
/// classifiers in probe mode, their head retrained per fraction from the same start with the same seed
/// and batches while everything else stays frozen.
/// </summary>
public sealed class PapaProbe
{
    private readonly nn.Module _model;
    private readonly TrainingData _data;
    private readonly PapaOptions _options;
    private readonly Device _device;
    private readonly IReadOnlyDictionary<string, Tensor>? _initialHead;
    private readonly Action<string> _log;

    /// <summary>Prepares a probe of <paramref name="model"/> (its trained weights loaded) on <paramref name="data"/>.</summary>
    /// <param name="model">The trained model, on <paramref name="device"/>.</param>
    /// <param name="data">The data it was trained on: Ā comes from the training split, the ranking and scores from the validation (and test) data.</param>
    /// <param name="options">Order, fractions and probe training.</param>
    /// <param name="device">Where the model runs.</param>
    /// <param name="initialHead">Classifiers: the initial values of the head's parameters (<c>classifier.*</c>), where each retraining starts. Ignored for other kinds.</param>
    /// <param name="log">Receives progress lines.</param>
    /// <exception cref="ArgumentException">The model has no softmax attention, no MaxLength, or constant heads already; or the fractions do not start at 0.</exception>
    public PapaProbe(nn.Module model, TrainingData data, PapaOptions options, Device device, IReadOnlyDictionary<string, Tensor>? initialHead = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var description = (model as ISequenceModel)?.Description ?? throw new ArgumentException($"{model.GetType().Name} is no Composer model", nameof(model));
        Layers = AttentionLayer.Find(model);
        if (Layers.Count == 0)
            throw new ArgumentException($"{description.Name} has no softmax attention layer ([SelfAttention]), so there is no attention for PAPA to replace; probe a model with SelfAttention layers");
        if (Layers.Any(l => l.Attention.MaxLength <= 0))
            throw new ArgumentException($"{description.Name} declares no MaxLength, and PAPA's constant matrices are indexed by position (MIXERS.md §12 L3); declare MaxLength on the model and train it again");
        var probed = Layers.FirstOrDefault(l => l.Attention.ConstantHeads is not null);
        if (probed is not null)
            throw new ArgumentException($"{probed.Name} already has constant heads (a model saved by papa --save); probe the checkpoint it was made from");
        if (options.Fractions.Count == 0 || options.Fractions[0] != 0 || options.Fractions.Any(f => !(f >= 0 && f <= 1)))
            throw new ArgumentException("the fractions of constant heads must lie in [0, 1] and start with 0, the baseline", nameof(options));
        if (description.Kind == ModelKind.Classifier && initialHead is null)
            throw new ArgumentException("a classifier is probed with its head retrained, so the probe needs the head's initial values", nameof(initialHead));
        _model = model;
        _data = data;
        _options = options;
        _device = device;
        _initialHead = description.Kind == ModelKind.Classifier ? initialHead : null;
        _log = log ?? (_ => { });
        Description = description;
    }

    /// <summary>The probed model's description.</summary>
    public ModelDescription Description { get; }

    /// <summary>The model's softmax attention layers.</summary>
    public IReadOnlyList<AttentionLayer> Layers { get; }

    /// <summary>Heads of every layer together.</summary>
    public int TotalHeads => Layers.Sum(l => l.Heads);

    /// <summary>Whether fractions are scored with a retrained head (classifiers) rather than zero-shot.</summary>
    public bool ProbeMode => _initialHead is not null;

    /// <summary>
    /// Runs the probe. <paramref name="averages"/> receives Ā (owned by the caller, who may save it);
    /// <paramref name="afterFraction"/> sees the model with each fraction's constant heads in place (to save it).
    /// The model is left with every head attending and, for classifiers, the head of the last retraining.
    /// </summary>
    public PapaReport Run(out AttentionAverages averages, Action<PapaFraction>? afterFraction = null)
    {
        var started = DateTime.UtcNow;
        long? cap = _options.AverageBatches;
        _log(cap is null ? "averaging the attention of every head over the training split (one pass)…"
            : string.Create(CultureInfo.InvariantCulture, $"averaging the attention of every head over the first {cap:N0} batches of the training split…"));
        averages = AttentionAverages.Compute(_model, Layers, TrainingBatches(_data.Train, cap), _device);
        _log(string.Create(CultureInfo.InvariantCulture, $"  Ā from {averages.Sequences:N0} sequences in {averages.Batches:N0} batches ({(DateTime.UtcNow - started).TotalSeconds:0.0} s)"));

        var ranking = Rank(averages);
        _log($"replacement order: {OrderDescription(_options.Order)}");
        _log("  " + string.Join(", ", ranking.Select(r => string.Create(CultureInfo.InvariantCulture, $"{Label(r.Head)} {r.Score:0.####}"))));
        _log(ProbeMode
            ? $"scoring each fraction in probe mode: the classifier's head retrained from the same start, {_options.ProbeSteps} updates, seed {_options.Seed}, the rest frozen"
            : "scoring each fraction zero-shot (no retraining)");

        var fractions = new List<PapaFraction>();
        try
        {
            foreach (double fraction in _options.Fractions)
            {
                var constant = Replaced(ranking, fraction);
                int count = constant.Count;
                Apply(constant, averages);
                if (ProbeMode) RetrainHead();
                var scored = Score(fraction, constant, fractions.Count == 0 ? null : fractions[0]);
                fractions.Add(scored);
                _log(string.Create(CultureInfo.InvariantCulture, $"  {count} of {TotalHeads} heads constant: validation loss {scored.ValidationLoss:0.0000}, {ScoreName} {scored.Score:P1}"));
                afterFraction?.Invoke(scored);
            }
        }
        finally
        {
            foreach (var layer in Layers) layer.Attention.RestoreHeads();
        }

        return new PapaReport
        {
            Model = Description.Name,
            Kind = Description.Kind.ToString(),
            Data = _data.Name,
            Order = Name(_options.Order),
            OrderDescription = OrderDescription(_options.Order),
            Mode = ProbeMode
                ? $"probe: the classifier's head retrained per fraction ({_options.ProbeSteps} updates, lr {_options.ProbeLearningRate.ToString(CultureInfo.InvariantCulture)}, seed {_options.Seed}), everything else frozen"
                : "zero-shot: no retraining",
            ScoreName = ScoreName,
            TotalHeads = TotalHeads,
            Layers = Layers.Select(l => new PapaLayer(l.Name, l.Heads, l.Attention.Causal)).ToArray(),
            AverageBatches = averages.Batches,
            AverageSequences = averages.Sequences,
            Ranking = ranking.Select(r => new PapaRankedHead(r.Head.LayerName, r.Head.Head, r.Score)).ToArray(),
            Fractions = fractions,
        };
    }

    /// <summary>
    /// MIXERS.md §7a step 5: the heads a fraction makes constant, the first round(<paramref name="fraction"/> ×
    /// heads) of <paramref name="ranking"/> (halves rounded up, so 15/16 of 8 heads is all 8).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside [0, 1].</exception>
    public static IReadOnlyList<AttentionHead> Replaced(IReadOnlyList<RankedHead> ranking, double fraction)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        if (!(fraction >= 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "a fraction of heads lies in [0, 1]");
        int count = (int)Math.Round(fraction * ranking.Count, MidpointRounding.AwayFromZero);
        return ranking.Take(count).Select(r => r.Head).ToArray();
    }

    /// <summary>The order's name as the command line and the report spell it.</summary>
    public static string Name(HeadOrder order) => order.ToString().ToLowerInvariant();

    /// <summary>The order in words, as the report states it.</summary>
    public static string OrderDescription(HeadOrder order) => order switch
    {
        HeadOrder.Divergence => "divergence: mean Jensen–Shannon divergence between each head's attention and its constant Ā on the validation data, smallest first",
        HeadOrder.Random => "random: a random order drawn from the seed (the control)",
        _ => "gate: PAPA's learned gate σ(λ)·A(x) + (1 − σ(λ))·Ā, λ trained with the rest frozen, smallest λ first",
    };

    /// <summary>"layers.0.mixer/2".</summary>
    public static string Label(AttentionHead head) => $"{head.LayerName}/{head.Head}";

    /// <summary>What the score column is: contrastive agreement accuracy where the data has such a test, else validation accuracy.</summary>
    public string ScoreName => _data.Test is not null ? "agreement accuracy (mean over test distances)" : "validation accuracy";

    /// <summary>One pass over the training split from its start (or its first <paramref name="cap"/> batches).</summary>
    private static IEnumerable<Batch> TrainingBatches(IBatchSource train, long? cap)
    {
        train.Seek(new DataPosition(0, 0));
        for (long n = 0; train.Position.Epoch == 0 && (cap is null || n < cap); n++) yield return train.Next();
    }

    private IReadOnlyList<RankedHead> Rank(AttentionAverages averages) => _options.Order switch
    {
        HeadOrder.Random => HeadRanking.Random(Layers, _options.Seed),
        HeadOrder.Gate => WithSeed(() => HeadRanking.ByGate(_model, averages, _data.Train, ResetHead(), _options.ProbeSteps, _options.ProbeLearningRate, _device)),
        _ => HeadRanking.ByDivergence(_model, averages, _data.Validation.Batches(), _device),
    };

    private T WithSeed<T>(Func<T> body)
    {
        manual_seed(_options.Seed).Dispose();
        return body();
    }

    /// <summary>Makes exactly <paramref name="constant"/> heads constant, each with its layer's Ā.</summary>
    private void Apply(IReadOnlyList<AttentionHead> constant, AttentionAverages averages)
    {
        using var scope = NewDisposeScope();
        foreach (var layer in Layers)
        {
            long[] heads = constant.Where(h => h.Layer == layer.Index).Select(h => (long)h.Head).Order().ToArray();
            if (heads.Length == 0)
            {
                layer.Attention.RestoreHeads();
                continue;
            }
            var matrix = averages.Average(layer.Index).index_select(0, tensor(heads, device: _device));
            layer.Attention.UseConstantHeads(heads, matrix);
        }
    }

    /// <summary>The classifier's head back at its initial values; returns its parameters, by name.</summary>
    private IReadOnlyList<(string Name, Tensor Tensor)> ResetHead()
    {
        if (_initialHead is null) return [];
        var head = _model.named_parameters().Where(p => _initialHead.ContainsKey(p.name)).Select(p => (p.name, (Tensor)p.parameter)).ToArray();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in head) parameter.copy_(_initialHead[name]);
        return head;
    }

    private void RetrainHead()
    {
        var head = ResetHead();
        manual_seed(_options.Seed).Dispose();
        ProbeTraining.Train(_model, head, _data.Train, _options.ProbeSteps, _options.ProbeLearningRate, _device);
    }

    private PapaFraction Score(double fraction, IReadOnlyList<AttentionHead> constant, PapaFraction? baseline)
    {
        var result = Objective.For(_model).Evaluate(_model, _data.Validation, _device);
        IReadOnlyList<PapaDistance>? agreement = null;
        double score = result.Accuracy;
        if (_data.Test is not null)
        {
            agreement = ContrastiveEvaluator.Evaluate(_model, _data.Test, _device).ByDistance
                .Select(d => new PapaDistance(d.Distance, d.Accuracy, d.Total)).ToArray();
            score = agreement.Average(d => d.Accuracy);
        }
        double drop = baseline is null ? 0 : (baseline.Score - score) / baseline.Score;
        double lossChange = baseline is null ? 0 : (result.Loss - baseline.ValidationLoss) / baseline.ValidationLoss;
        return new PapaFraction(fraction, constant.Count, result.Loss, result.Accuracy, score, drop, lossChange, agreement,
            constant.Select(Label).ToArray());
    }
}
