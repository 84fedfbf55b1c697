using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Composer.Data;
using Composer.Generation;
using Composer.Models;
using Composer.Training;
using TorchSharp;
using TorchSharp.Modules;
using static Composer.Bench.Training.Settings;
using static TorchSharp.torch;

namespace Composer.Bench.Training;

/// <summary>
/// The generated side of one subject: the generated model, Composer's AdamW and the shared batch,
/// trained with the runtime's own objective, clipping and optimizer as <see cref="Trainer"/> runs them,
/// and decoded through <see cref="SequenceGenerator"/> (the <c>generate</c> command's path).
/// </summary>
internal sealed class ComposerRun : ISide
{
    private readonly nn.Module _model;
    private readonly Objective _objective;
    private readonly Composer.Training.AdamW _optimizer;
    private readonly Parameter[] _parameters;
    private readonly Batch _batch;

    /// <summary>Takes the freshly built <paramref name="model"/> and the shared batch <paramref name="tokens"/> (B, T + 1).</summary>
    public ComposerRun(nn.Module model, Tensor tokens)
    {
        _model = model;
        _objective = Objective.For(model);
        _optimizer = new Composer.Training.AdamW(model, Beta1, Beta2, Eps, WeightDecay);
        _parameters = model.parameters().ToArray();
        long b = tokens.shape[0], t = tokens.shape[1] - 1;
        _batch = new Batch(tokens.narrow(1, 0, t).contiguous(), null, tokens.narrow(1, 1, t).contiguous(), null, null, b * t, b * t);
        Weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
    }

    /// <summary>The generated model's parameters by dotted name: the weights every side starts from.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights { get; }

    public double EvaluationLoss()
    {
        _model.eval();
        using var noGrad = no_grad();
        using var d = NewDisposeScope();
        return _objective.Compute(_batch).Loss.ToDouble() / _batch.TargetTokens;
    }

    public double Train(int updates)
    {
        _model.train();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < updates; i++)
        {
            using var d = NewDisposeScope();
            var terms = _objective.Compute(_batch, LabelSmoothing);
            (terms.Loss / terms.Targets).backward();
            double loss = terms.Loss.ToDouble();
            double norm = GradientClipping.ClipGradNorm(_parameters, ClipNorm);
            if (!double.IsFinite(loss) || !double.IsFinite(norm)) throw new InvalidOperationException($"the generated model's training diverged (loss {loss}, gradient norm {norm})");
            _optimizer.Step(LearningRate);
            _optimizer.ZeroGrad();
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    public double Decode(int tokens)
    {
        long start = Stopwatch.GetTimestamp();
        Generate(tokens);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// Greedy decoding from token 0: one prompt token, then <paramref name="tokens"/> − 1 generated
    /// ones, so <paramref name="tokens"/> calls of Step; returns the tokens each step chose.
    /// </summary>
    public long[] Generate(int tokens)
    {
        _model.eval();
        return SequenceGenerator.Continue((ILanguageModel)_model, [[0]], tokens, SamplingOptions.Greedy)[0];
    }

    public void Dispose()
    {
        _batch.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}
