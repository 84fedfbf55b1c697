using System;
using Composer.Tensors;

namespace Composer.Generation;

/// <summary>Picks next tokens from logits: greedy, or sampling with temperature, top-k and top-p.</summary>
public static class TokenSampler
{
    /// <summary>
    /// One token per row of <paramref name="logits"/> (B, V) → int64 (B, 1). Sampling uses the
    /// Gumbel-max trick (argmax of logits/T + Gumbel noise draws exactly from softmax(logits/T)),
    /// with libtorch's seeded generator, so a fixed <c>Torch.ManualSeed</c> reproduces the draws.
    /// </summary>
    public static Tensor Next(Tensor logits, SamplingOptions options)
    {
        options.Validate();
        if (options.Temperature == 0) return logits.Argmax(-1, keepdim: true);
        var scaled = logits.To(DType.Float32) / options.Temperature;
        if (options.TopK > 0 && options.TopK < scaled.Size(-1)) scaled = KeepTopK(scaled, options.TopK);
        if (options.TopP < 1) scaled = KeepTopP(scaled, options.TopP);
        var uniform = Torch.Rand(scaled.Shape, DType.Float32, scaled.Device).ClampInPlace(1e-10, 1 - 1e-7);
        var gumbel = -((-uniform.Log()).Log());
        return (scaled + gumbel).Argmax(-1, keepdim: true);
    }

    /// <summary>Sets every logit below the k-th largest of its row to −∞.</summary>
    public static Tensor KeepTopK(Tensor logits, int k)
    {
        var (values, _) = logits.Topk(k, -1);
        var threshold = values.Narrow(-1, k - 1, 1);
        return logits.MaskedFill(logits.Lt(threshold), double.NegativeInfinity);
    }

    /// <summary>
    /// Nucleus filtering: keeps, per row, the most likely tokens until their probability reaches
    /// <paramref name="p"/> (always at least the most likely one); the rest become −∞.
    /// </summary>
    public static Tensor KeepTopP(Tensor logits, double p)
    {
        var (sorted, order) = logits.Sort(-1, descending: true);
        var cumulative = sorted.Softmax(-1).Cumsum(-1);
        // A token is dropped when the tokens before it already reach p.
        var dropSorted = (cumulative - sorted.Softmax(-1)).Ge(p);
        var drop = Torch.Zeros(dropSorted.Shape, DType.Bool, dropSorted.Device).Scatter(-1, order, dropSorted);
        return logits.MaskedFill(drop, double.NegativeInfinity);
    }
}
