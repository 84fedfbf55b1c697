using System;
using System.Diagnostics;
using System.Linq;
using Composer.Bench.Training.HandWritten;
using TorchSharp;
using TorchSharp.Modules;
using static Composer.Bench.Training.Settings;
using static TorchSharp.torch;

namespace Composer.Bench.Training;

/// <summary>
/// The hand-written TorchSharp side: a <see cref="DecoderLm"/> trained the way a TorchSharp user
/// writes the loop (one dispose scope per update, TorchSharp's AdamW with decay on matrices only,
/// <c>clip_grad_norm_</c>, label-smoothed cross-entropy), with the trainer's hyperparameters.
/// </summary>
internal sealed class HandWrittenRun : ISide
{
    private readonly DecoderLm _model;
    private readonly Parameter[] _parameters;
    private readonly AdamW _optimizer;
    private readonly Tensor _input;
    private readonly Tensor _target;

    /// <summary>Takes <paramref name="model"/> (already holding the shared weights) and the shared batch <paramref name="tokens"/> (B, T + 1).</summary>
    public HandWrittenRun(DecoderLm model, Tensor tokens)
    {
        _model = model;
        _parameters = model.parameters().ToArray();
        // Matrices and embeddings decay, vectors do not: two parameter groups.
        _optimizer = optim.AdamW(
            [
                new AdamW.ParamGroup(_parameters.Where(p => p.dim() >= 2), new AdamW.Options { weight_decay = WeightDecay }),
                new AdamW.ParamGroup(_parameters.Where(p => p.dim() < 2), new AdamW.Options { weight_decay = 0 }),
            ],
            LearningRate, Beta1, Beta2, Eps, WeightDecay);
        long t = tokens.shape[1] - 1;
        _input = tokens.narrow(1, 0, t).contiguous();
        _target = tokens.narrow(1, 1, t).reshape(-1);
        Parameters = _parameters.Sum(p => p.numel());
    }

    /// <summary>Trainable scalars of the model.</summary>
    public long Parameters { get; }

    public double EvaluationLoss()
    {
        _model.eval();
        using var noGrad = no_grad();
        using var d = NewDisposeScope();
        var logits = _model.forward(_input);
        return nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), _target).item<float>();
    }

    public double Train(int updates)
    {
        _model.train();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < updates; i++)
        {
            using var d = NewDisposeScope();
            var logits = _model.forward(_input);
            var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), _target, reduction: nn.Reduction.Sum, label_smoothing: LabelSmoothing);
            (loss / _target.shape[0]).backward();
            // Read every update, as a training loop logs the loss and the gradient norm.
            double value = loss.item<float>();
            double norm = nn.utils.clip_grad_norm_(_parameters, ClipNorm);
            if (!double.IsFinite(value) || !double.IsFinite(norm))
                throw new InvalidOperationException($"the hand-written model's training diverged (loss {value}, gradient norm {norm})");
            _optimizer.step();
            _optimizer.zero_grad();
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    public double Decode(int tokens)
    {
        long start = Stopwatch.GetTimestamp();
        Generate(tokens);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    public long[] Generate(int tokens)
    {
        _model.eval();
        using var noGrad = no_grad();
        using var state = _model.NewState();
        var chosen = new long[tokens];
        long next = 0;
        for (int i = 0; i < tokens; i++)
        {
            using var d = NewDisposeScope();
            var logits = _model.step(tensor(next).view(1, 1), state);
            chosen[i] = next = logits[0, -1].argmax().item<long>();
        }
        return chosen;
    }

    /// <summary>
    /// How far apart the logits of tokens <paramref name="a"/> and <paramref name="b"/> are after
    /// <paramref name="inputs"/> (one sequence, evaluation mode), relative to the largest logit there:
    /// near 0 when greedy decoding is at a near-tie between them.
    /// </summary>
    public double RelativeLogitGap(long[] inputs, long a, long b)
    {
        _model.eval();
        using var noGrad = no_grad();
        using var d = NewDisposeScope();
        var logits = _model.forward(tensor(inputs).view(1, -1))[0, -1];
        return Math.Abs(logits[a].item<float>() - logits[b].item<float>()) / logits.abs().max().item<float>();
    }

    public void Dispose()
    {
        _input.Dispose();
        _target.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}
