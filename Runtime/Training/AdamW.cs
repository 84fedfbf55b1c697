using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Training;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter; <c>torch.optim.AdamW</c>), updating the
/// parameters in place. Its moments are ordinary tensors owned by the optimizer, named after the
/// parameters (<see cref="StateDict"/>), so a checkpoint stores them like weights.
/// </summary>
/// <remarks>
/// <para>
/// Weight decay applies to matrices and embeddings (parameters with two or more dimensions) and never
/// to biases and normalisation gains, as nanoGPT and most transformer recipes do. A parameter that
/// received no gradient in a step is left alone, moments included, as PyTorch does; the step count is
/// shared by all parameters.
/// </para>
/// <para>
/// Why not TorchSharp's <c>optim.AdamW</c>: its state is keyed by parameter handles and positions, not
/// names, so a checkpoint could not say which moment belongs to which weight; and its step allocates
/// about nine native scalars per parameter that only the finalizer frees. This one runs the same
/// operations in the same order (a test holds the two to the same bits), with its constants kept as
/// <see cref="Scalar"/>s for its whole life and three per-step ones released at once.
/// </para>
/// </remarks>
public sealed class AdamW : IDisposable
{
    private readonly Entry[] _entries;
    // Constant operands of every step, made once: an implicit double → Scalar would leak one per use to the finalizer.
    private readonly Scalar _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _eps;

    private sealed record Entry(string Name, Tensor Parameter, Tensor ExpAvg, Tensor ExpAvgSq, bool Decays);

    /// <summary>Creates the optimizer over every parameter of <paramref name="module"/>, under their dotted names.</summary>
    /// <inheritdoc cref="AdamW(IEnumerable{ValueTuple{string, Tensor}}, double, double, double, double)" path="/param"/>
    public AdamW(nn.Module module, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
        : this(module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), beta1, beta2, eps, weightDecay) { }

    /// <summary>Creates the optimizer and its zeroed moments (on each parameter's device, in its dtype).</summary>
    /// <param name="parameters">The parameters (leaf tensors that require grad) with their dotted names.</param>
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
        _entries = list.Select(p => new Entry(p.Name, p.Tensor, Moment(p.Tensor), Moment(p.Tensor), Decays: p.Tensor.dim() >= 2)).ToArray();
        _beta1 = beta1;
        _oneMinusBeta1 = 1 - beta1;
        _beta2 = beta2;
        _oneMinusBeta2 = 1 - beta2;
        _eps = eps;
    }

    // Lives as long as the optimizer, whatever dispose scope is open.
    private static Tensor Moment(Tensor parameter) => zeros_like(parameter).DetachFromDisposeScope();

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
    /// One update with learning rate <paramref name="lr"/> from the gradients the parameters hold, in
    /// PyTorch's order of operations (so the result matches <c>torch.optim.AdamW</c> to rounding). Leaves
    /// no tensor behind, whether or not a dispose scope is open.
    /// </summary>
    public void Step(double lr)
    {
        StepCount++;
        double bias1 = 1 - Math.Pow(Beta1, StepCount);
        double bias2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        using Scalar decay = 1 - lr * WeightDecay, correction2 = bias2Sqrt, stepSize = -lr / bias1;
        bool decays = WeightDecay != 0;
        using var noGrad = no_grad();
        foreach (var e in _entries)
        {
            using var grad = e.Parameter.grad;
            if (grad is null) continue;
            if (decays && e.Decays) e.Parameter.mul_(decay);
            e.ExpAvg.mul_(_beta1).add_(grad, _oneMinusBeta1);
            e.ExpAvgSq.mul_(_beta2).addcmul_(grad, grad, _oneMinusBeta2);
            using var denominator = e.ExpAvgSq.sqrt();
            denominator.div_(correction2).add_(_eps);
            e.Parameter.addcdiv_(e.ExpAvg, denominator, stepSize);
        }
    }

    /// <summary>Forgets every parameter's gradient (<c>zero_grad(set_to_none=True)</c>), ready for the next backward.</summary>
    public void ZeroGrad()
    {
        foreach (var e in _entries) e.Parameter.grad = null;
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
    /// <exception cref="StateDictMismatchException">Names are missing or unexpected, or shapes or dtypes differ; the message lists them.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var own = StateDict().ToList();
        var mismatch = StateDictMismatchException.Compare(
            own.Select(p => (p.Name, p.Tensor.shape, p.Tensor.dtype.ToString())),
            state.Select(kv => (kv.Key, kv.Value.shape, kv.Value.dtype.ToString())));
        if (mismatch is not null) throw mismatch;
        using var noGrad = no_grad();
        foreach (var (name, tensor) in own) tensor.copy_(state[name]);
    }

    /// <summary>Releases the moments and the constants (the parameters belong to their module).</summary>
    public void Dispose()
    {
        foreach (var e in _entries)
        {
            e.ExpAvg.Dispose();
            e.ExpAvgSq.Dispose();
        }
        _beta1.Dispose();
        _oneMinusBeta1.Dispose();
        _beta2.Dispose();
        _oneMinusBeta2.Dispose();
        _eps.Dispose();
    }
}
