using System;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// The attention review's a = g(f(q, k)), o = Σ a v (MIXERS.md §1) for <see cref="ScoredAttention"/>,
/// <see cref="ScoredCrossAttention"/> and <see cref="LocationAttention"/>: the key-based score functions f,
/// the distribution functions g, and the checks of both.
/// </summary>
internal static class ScoreFunctions
{
    /// <summary>The parameter a key-based score adds per head: <c>bilinear</c> (H, D, D) for general scores,
    /// <c>score_vector</c> (H, D) for additive ones, none for dot products.</summary>
    public static string? ParameterName(AttentionScore score) => score switch
    {
        AttentionScore.General => "bilinear",
        AttentionScore.Additive => "score_vector",
        _ => null,
    };

    /// <summary>Creates and registers the score's parameter on <paramref name="module"/>, U(−1/√D, 1/√D) as a
    /// <c>Linear(D, …)</c> would start, or returns null when the score has none.</summary>
    public static Parameter? Register(nn.Module module, ModuleContext context, AttentionScore score, int heads, int headWidth)
    {
        double bound = 1.0 / Math.Sqrt(headWidth);
        return score switch
        {
            AttentionScore.General => module.RegisterParameter("bilinear", Initialise.Uniform(context, [heads, headWidth, headWidth], bound)),
            AttentionScore.Additive => module.RegisterParameter("score_vector", Initialise.Uniform(context, [heads, headWidth], bound)),
            _ => null,
        };
    }

    /// <summary>Throws unless <paramref name="score"/> compares queries with keys (every score but the location-based one).</summary>
    public static void CheckKeyScore(string mixer, AttentionScore score)
    {
        if (score == AttentionScore.Location)
            throw new ArgumentException($"{mixer} compares queries with keys; the location-based score ignores keys and is LocationAttention's", nameof(score));
        if (!Enum.IsDefined(score))
            throw new ArgumentException($"{mixer}: unknown attention score {(int)score}; use AttentionScore.Additive, General, Dot or ScaledDot", nameof(score));
    }

    /// <summary>Throws unless <paramref name="distribution"/> is one Composer can train: softmax, sigmoid or sparsemax.</summary>
    public static void CheckDistribution(string mixer, AttentionDistribution distribution)
    {
        if (distribution == AttentionDistribution.Hard)
            throw new ArgumentException($"{mixer}: hard attention samples one key, which is not differentiable; training it needs score-function (REINFORCE) gradients, which Composer's training loop does not compute. Use Softmax, Sigmoid or Sparsemax", nameof(distribution));
        if (!Enum.IsDefined(distribution))
            throw new ArgumentException($"{mixer}: unknown attention distribution {(int)distribution}; use AttentionDistribution.Softmax, Sigmoid or Sparsemax", nameof(distribution));
    }

    /// <summary>
    /// The logits f(q, k), (B, H, T, S), of queries <paramref name="q"/> (B, H, T, D) against keys
    /// <paramref name="k"/> (B, H, S, D): dot qᵀk, scaled dot qᵀk/√D, general qᵀW_h k, additive
    /// w_hᵀ tanh(q + k) (in tiles, see <see cref="AdditiveScores"/>). A fresh tensor, so callers may mask it in place.
    /// </summary>
    public static Tensor Logits(AttentionScore score, Tensor q, Tensor k, Tensor? parameter) => score switch
    {
        AttentionScore.Dot => q.matmul(k.transpose(-2, -1)),
        AttentionScore.ScaledDot => q.matmul(k.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(q.shape[^1])),
        // (B, H, T, D) @ (H, D, D) broadcasts over the batch: q_h W_h, then against the keys.
        AttentionScore.General => q.matmul(parameter!).matmul(k.transpose(-2, -1)),
        AttentionScore.Additive => AdditiveScores.Compute(q, k, parameter!),
        _ => throw new ArgumentException($"score {score} has no key-based logits", nameof(score)),
    };

    /// <summary>
    /// o = g(logits) v: <paramref name="logits"/> (…, T, S) with the keys in <paramref name="hidden"/>
    /// (broadcasting to (…, T, S), true = hidden) masked, turned into weights by
    /// <paramref name="distribution"/>, dropped out in training and applied to <paramref name="v"/>
    /// (…, S, D). With <paramref name="rowsMayBeEmpty"/> a query that sees no key outputs zeros.
    /// </summary>
    /// <remarks>Masked logits get <see cref="Attention.MaskValue"/>: exp and sigmoid of it are exactly 0, and it
    /// is finite, so sparsemax and fully masked rows stay free of NaN. The logits are masked in place: every
    /// score function returns a fresh tensor whose backward does not need it.</remarks>
    public static Tensor Mix(AttentionDistribution distribution, Tensor logits, Tensor v, Tensor? hidden, bool rowsMayBeEmpty, double dropout, bool training)
    {
        if (hidden is not null) logits.masked_fill_(hidden, Attention.MaskValue(logits.dtype));
        var weights = distribution switch
        {
            AttentionDistribution.Softmax => logits.softmax(-1),
            AttentionDistribution.Sigmoid => logits.sigmoid(),
            AttentionDistribution.Sparsemax => Sparsemax.Apply(logits, -1),
            _ => throw new ArgumentException($"attention distribution {distribution} is not supported", nameof(distribution)),
        };
        if (training && dropout > 0) weights = nn.functional.dropout(weights, dropout, training: true);
        var output = weights.matmul(v);
        if (hidden is not null && rowsMayBeEmpty)
            output = output.mul(hidden.sum(-1, keepdim: true).lt(hidden.shape[^1]).to(output.dtype));
        return output;
    }
}
