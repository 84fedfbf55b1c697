using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Generation;

/// <summary>Picks next tokens from logits: greedy, or sampling with temperature, top-k and top-p.</summary>
public static class TokenSampler
{
    // Constants of every call, made once (an implicit double → Scalar would leave one per use to the finalizer).
    private static readonly Scalar NegativeInfinity = double.NegativeInfinity;
    private static readonly Scalar Smallest = 1e-10, Largest = 1 - 1e-7;

    /// <summary>
    /// One token per row of <paramref name="logits"/> (B, V) → int64 (B, 1), in the current dispose
    /// scope. Sampling uses the Gumbel-max trick (argmax of logits/T + Gumbel noise draws exactly from
    /// softmax(logits/T)), with libtorch's seeded generator of the logits' device, so a fixed
    /// <c>torch.manual_seed</c> reproduces the draws.
    /// </summary>
    public static Tensor Next(Tensor logits, SamplingOptions options)
    {
        options.Validate();
        if (options.Temperature == 0) return logits.argmax(-1, keepdim: true);
        using Scalar temperature = options.Temperature;
        var scaled = logits.to(ScalarType.Float32).div(temperature);
        if (options.TopK > 0 && options.TopK < scaled.shape[^1]) scaled = KeepTopK(scaled, options.TopK);
        if (options.TopP < 1) scaled = KeepTopP(scaled, options.TopP);
        // Gumbel noise −log(−log u), computed in place on the fresh uniform draws.
        var gumbel = rand(scaled.shape, ScalarType.Float32, scaled.device).clamp_(Smallest, Largest).log_().neg_().log_().neg_();
        return scaled.add_(gumbel).argmax(-1, keepdim: true);
    }

    /// <summary>Sets every logit below the k-th largest of its row to −∞.</summary>
    public static Tensor KeepTopK(Tensor logits, int k)
    {
        var (values, _) = logits.topk(k, -1);
        var threshold = values.narrow(-1, k - 1, 1);
        return logits.masked_fill(logits.lt(threshold), NegativeInfinity);
    }

    /// <summary>
    /// Nucleus filtering: keeps, per row, the most likely tokens until their probability reaches
    /// <paramref name="p"/> (always at least the most likely one); the rest become −∞.
    /// </summary>
    public static Tensor KeepTopP(Tensor logits, double p)
    {
        var (sorted, order) = logits.sort(-1, descending: true);
        var probabilities = sorted.softmax(-1);
        // A token is dropped when the tokens before it already reach p.
        using Scalar mass = p;
        var dropSorted = probabilities.cumsum(-1).sub_(probabilities).ge(mass);
        var drop = zeros_like(dropSorted).scatter_(-1, order, dropSorted);
        return logits.masked_fill(drop, NegativeInfinity);
    }
}
