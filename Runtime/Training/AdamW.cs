using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Tensors;

namespace Composer.Training;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter; <c>torch.optim.AdamW</c>), updating the
/// parameters in place. Its moments are ordinary tensors owned by the optimizer, named after the
/// parameters (<see cref="StateDict"/>), so a checkpoint stores them like weights.
/// </summary>
/// <remarks>
/// Weight decay applies to matrices and embeddings (parameters with two or more dimensions) and never
/// to biases and normalisation gains, as nanoGPT and most transformer recipes do. A parameter that
/// received no gradient in a step is left alone, moments included, as PyTorch does; the step count is
/// shared by all parameters.
/// </remarks>
public sealed class AdamW : IDisposable
{
    private readonly Entry[] _entries;

    private sealed record Entry(string Name, Tensor Parameter, Tensor ExpAvg, Tensor ExpAvgSq, bool Decays);

    /// <summary>Creates the optimizer and its zeroed moments (on each parameter's device, in its dtype).</summary>
    /// <param name="parameters">The parameters with their dotted names (<see cref="Layers.Module.NamedParameters"/>).</param>
    /// <param name="beta1">Decay of the first moment (the gradient's running mean).</param>
    /// <param name="beta2">Decay of the second moment (the squared gradient's running mean).</param>
    /// <param name="eps">Added to the second moment's square root, for stability.</param>
    /// <param name="weightDecay">Decoupled weight decay: each step multiplies decayed weights by 1 − lr·weightDecay.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its valid range.</exception>
    /// <exception cref="ArgumentException">Two parameters share a name.</exception>
    public AdamW(IEnumerable<(string Name, Tensor Tensor)> parameters, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be non-negative");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be non-negative");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;

        var list = parameters.ToList();
        var duplicate = list.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"two parameters are both named '{duplicate.Key}'", nameof(parameters));
        _entries = list.Select(p => new Entry(p.Name, p.Tensor,
            Torch.Zeros(p.Tensor.Shape, p.Tensor.DType, p.Tensor.Device).Persist(),
            Torch.Zeros(p.Tensor.Shape, p.Tensor.DType, p.Tensor.Device).Persist(),
            Decays: p.Tensor.Dim >= 2)).ToArray();
    }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; }
    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }
    /// <summary>Added to the denominator for stability.</summary>
    public double Eps { get; }
    /// <summary>The decoupled weight decay of matrices and embeddings.</summary>
    public double WeightDecay { get; }

    /// <summary>Updates taken so far (drives the bias corrections; saved in checkpoints).</summary>
    public long StepCount { get; set; }

    /// <summary>
    /// One update with learning rate <paramref name="lr"/> from the gradients the parameters hold,
    /// in PyTorch's order of operations (so the result matches <c>torch.optim.AdamW</c> to rounding).
    /// Temporaries go to the current <see cref="TensorScope"/>.
    /// </summary>
    public void Step(double lr)
    {
        StepCount++;
        double bias1 = 1 - Math.Pow(Beta1, StepCount);
        double bias2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        double stepSize = lr / bias1;
        using var noGrad = Torch.NoGrad();
        foreach (var e in _entries)
        {
            var grad = e.Parameter.Grad;
            if (grad is null) continue;
            if (e.Decays && WeightDecay != 0) e.Parameter.MulInPlace(1 - lr * WeightDecay);
            e.ExpAvg.MulInPlace(Beta1).AddInPlace(grad, 1 - Beta1);
            e.ExpAvgSq.MulInPlace(Beta2).AddcmulInPlace(grad, grad, 1 - Beta2);
            var denominator = e.ExpAvgSq.Sqrt().DivInPlace(bias2Sqrt).AddInPlace(Eps);
            e.Parameter.AddcdivInPlace(e.ExpAvg, denominator, -stepSize);
            denominator.Dispose();
            grad.Dispose();
        }
    }

    /// <summary>Forgets every parameter's gradient (<c>zero_grad(set_to_none=True)</c>), ready for the next backward.</summary>
    public void ZeroGrad()
    {
        foreach (var e in _entries) e.Parameter.ClearGrad();
    }

    /// <summary>
    /// The moments under the names <c>exp_avg.{parameter}</c> and <c>exp_avg_sq.{parameter}</c> (PyTorch's
    /// state keys with the parameter's dotted name): the optimizer's part of a checkpoint. The tensors are
    /// the optimizer's own; do not dispose them.
    /// </summary>
    public IEnumerable<(string Name, Tensor Tensor)> StateDict()
    {
        foreach (var e in _entries) yield return ("exp_avg." + e.Name, e.ExpAvg);
        foreach (var e in _entries) yield return ("exp_avg_sq." + e.Name, e.ExpAvgSq);
    }

    /// <summary>Copies saved moments (names as in <see cref="StateDict"/>) into the optimizer; nothing changes unless all match.</summary>
    /// <exception cref="Layers.StateDictMismatchException">Names are missing, unexpected or mis-shaped; the message lists them.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var own = StateDict().ToList();
        var mismatch = Layers.StateDictMismatchException.Compare(own.Select(p => (p.Name, p.Tensor.Shape)), state.Select(kv => (kv.Key, kv.Value.Shape)));
        if (mismatch is not null) throw mismatch;
        using var noGrad = Torch.NoGrad();
        foreach (var (name, tensor) in own) tensor.CopyInPlace(state[name]);
    }

    /// <summary>Releases the moments (the parameters belong to their module).</summary>
    public void Dispose()
    {
        foreach (var e in _entries)
        {
            e.ExpAvg.Dispose();
            e.ExpAvgSq.Dispose();
        }
    }
}
