using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Attention with a feature map in place of the softmax (MIXERS.md §4–§5), shared by linear and Taylor
/// attention: sim(q, k) = φ(q)·φ(k), so O_t = φ(Q_t) Σ_s φ(K_s)ᵀ V_s / (φ(Q_t)·Σ_s φ(K_s) + ε), with the sums
/// over every s in an encoder and over s ≤ t in a decoder. Nothing of size T × T is formed beyond one chunk.
/// </summary>
/// <remarks>
/// V gets a column of ones, V₁ = [V | 1], so one product φ(K)ᵀ V₁ carries both the numerator's sum and
/// the normaliser's (its last column is Σ φ(K)), and one product with φ(Q) gives both. Sums run in float32.
/// </remarks>
internal static class KernelAttention
{
    /// <summary>
    /// Positions per chunk of the causal form: within a chunk the masked (L, L) scores, between chunks
    /// the (F, D + 1) running sums. 64 keeps both kinds of product a fair size for D = 32 … 128.
    /// </summary>
    private const long Chunk = 64;

    private static readonly Scalar Zero = 0.0, One = 1.0;

    /// <summary>Checks what the context must give a kernelised attention mixer.</summary>
    public static void CheckContext(string mixer, MixerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Width <= 0)
            throw new ArgumentOutOfRangeException(nameof(context), $"{mixer} needs a positive width, got {context.Width}");
        if (context.Heads <= 0 || context.Width % context.Heads != 0)
            throw new ArgumentException($"{mixer} needs a head count that divides the width: width {context.Width}, heads {context.Heads}", nameof(context));
    }

    /// <summary>Checks ε: the normaliser needs it strictly positive (MIXERS.md N1).</summary>
    public static void CheckEpsilon(string mixer, double epsilon)
    {
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"{mixer} needs a positive, finite epsilon for its normaliser");
    }

    /// <summary>Checks that <paramref name="map"/> is a <see cref="Composer.FeatureMap"/> value.</summary>
    public static FeatureMap CheckFeatureMap(FeatureMap map) => map is FeatureMap.Elu or FeatureMap.Relu
        ? map
        : throw new ArgumentOutOfRangeException(nameof(map), map, "not a FeatureMap value; use FeatureMap.Elu or FeatureMap.Relu");

    /// <summary>
    /// φ(x) of a feature map: elu(x) + 1, relu(x) + ε, or Taylor attention's [1; x/‖x‖] (F = D + 1, so
    /// φ(q)·φ(k) = 1 + q̂·k̂; the norm is clamped at 1e-12, as <c>F.normalize</c>, so a zero vector maps to
    /// [1; 0] instead of NaN), over the last dimension.
    /// </summary>
    public static Tensor Phi(FeatureMap? map, Scalar epsilon, Tensor x) => map switch
    {
        // In place on elu's output: elu's backward reads its input. relu's reads its output, so not there.
        FeatureMap.Elu => nn.functional.elu(x, 1.0).add_(One, One),
        FeatureMap.Relu => nn.functional.relu(x).add(epsilon, One),
        null => nn.functional.pad(nn.functional.normalize(x, 2.0, -1), [1, 0], value: 1.0),
        _ => throw new ArgumentOutOfRangeException(nameof(map), map, "not a FeatureMap value"),
    };

    /// <summary>The full-sequence forward: <paramref name="x"/> (B, T, C), <paramref name="padding"/> (B, T) or null.</summary>
    public static Tensor Forward(Linear qkvProj, Linear outProj, int heads, bool causal, FeatureMap? map, Scalar epsilon, Tensor x, Tensor? padding)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        var qkv = InFloat32(qkvProj.forward(x).view(b, t, 3, heads, c / heads).permute(2, 0, 3, 1, 4));   // (3, B, H, T, D)
        var qk = Phi(map, epsilon, qkv.narrow(0, 0, 2)).unbind(0);
        Tensor q = qk[0], k = qk[1];
        // Padded keys add nothing to either sum (MIXERS.md N6).
        if (padding is not null) k = k.masked_fill(padding.view(b, 1, t, 1), Zero);
        var values = nn.functional.pad(qkv.select(0, 2), [0, 1], value: 1.0);                          // V₁ = [V | 1]
        var sums = causal ? CausalSums(q, k, values) : q.matmul(k.transpose(-2, -1).matmul(values));
        return Merge(outProj, Normalise(sums, epsilon), x.dtype);
    }

    /// <summary>
    /// One decoding step: adds the position's φ(k) ⊗ [v | 1] to <paramref name="state"/>'s sums (in place
    /// unless the step records gradients) and attends with its query. <paramref name="x"/> is (B, 1, C).
    /// </summary>
    public static Tensor Step(Linear qkvProj, Linear outProj, int heads, FeatureMap? map, Scalar epsilon, Tensor x, LinearAttentionState state)
    {
        long b = x.shape[0], c = x.shape[2];
        var qkv = InFloat32(qkvProj.forward(x).view(b, 3, heads, c / heads));                            // (B, 3, H, D)
        var qk = Phi(map, epsilon, qkv.narrow(1, 0, 2)).unbind(1);                                       // (B, H, F) each
        var value = nn.functional.pad(qkv.select(1, 2), [0, 1], value: 1.0);                             // (B, H, D + 1)
        state.Accumulate(qk[1].unsqueeze(-1), value.unsqueeze(-2));                                         // += φ(k) ⊗ [v | 1]
        return Merge(outProj, Normalise(qk[0].unsqueeze(-2).matmul(state.Sums), epsilon), x.dtype);
    }

    /// <summary>
    /// The sums of a memory (B, S, C) for cross-attention, [S | z] (B, H, F, D + 1) in float32, with S =
    /// Σ_s φ(K_s)ᵀ V_s and z = Σ_s φ(K_s), padded memory positions left out.
    /// </summary>
    public static Tensor MemorySums(Linear kvProj, int heads, FeatureMap? map, Scalar epsilon, Tensor memory, Tensor? memoryPadding)
    {
        long b = memory.shape[0], s = memory.shape[1], c = memory.shape[2];
        var kv = InFloat32(kvProj.forward(memory).view(b, s, 2, heads, c / heads).permute(2, 0, 3, 1, 4));   // (2, B, H, S, D)
        var k = Phi(map, epsilon, kv.select(0, 0));
        if (memoryPadding is not null) k = k.masked_fill(memoryPadding.view(b, 1, s, 1), Zero);
        return k.transpose(-2, -1).matmul(nn.functional.pad(kv.select(0, 1), [0, 1], value: 1.0));
    }

    /// <summary>Cross-attention of <paramref name="query"/> (B, T, C) with a memory's sums [S | z] (B, H, F, D + 1); returns (B, T, C).</summary>
    public static Tensor CrossForward(Linear qProj, Linear outProj, int heads, FeatureMap? map, Scalar epsilon, Tensor query, Tensor sums)
    {
        long b = query.shape[0], t = query.shape[1], c = query.shape[2];
        var q = InFloat32(qProj.forward(query).view(b, t, heads, c / heads).transpose(1, 2));
        return Merge(outProj, Normalise(Phi(map, epsilon, q).matmul(sums), epsilon), query.dtype);
    }

    /// <summary>An empty self-attention state: zero sums in float32.</summary>
    public static LinearAttentionState NewState(MixerContext context, long batchSize, long features)
    {
        MixerInput.CheckBatchSize(batchSize);
        int heads = context.Heads, d = context.Width / context.Heads;
        return new LinearAttentionState(zeros([batchSize, heads, features, d + 1], ScalarType.Float32, context.Module.Device));
    }

    private static Tensor InFloat32(Tensor x) => x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);

    /// <summary>[numerator | normaliser] (…, D + 1) → numerator / (normaliser + ε), (…, D).</summary>
    private static Tensor Normalise(Tensor sums, Scalar epsilon)
    {
        long d = sums.shape[^1] - 1;
        return sums.narrow(-1, 0, d).div(sums.narrow(-1, d, 1).add(epsilon, One));
    }

    /// <summary>Heads (B, H, T, D) → (B, T, C) in the model's dtype, then <c>out_proj</c>.</summary>
    private static Tensor Merge(Linear outProj, Tensor heads, ScalarType dtype)
    {
        long b = heads.shape[0], h = heads.shape[1], t = heads.shape[2], d = heads.shape[3];
        // One position (a decoding step): (B, H, 1, D) is already laid out as (B, 1, H·D).
        var merged = t == 1 ? heads.view(b, 1, h * d) : heads.transpose(1, 2).reshape(b, t, h * d);
        return outProj.forward(merged.dtype == dtype ? merged : merged.to(dtype));
    }

    /// <summary>
    /// φ(Q_t) Σ_{s≤t} φ(K_s)ᵀ V₁_s for every t, chunked: within a chunk of L positions the masked quadratic
    /// form φ(Q) φ(K)ᵀ V₁, plus the running sum of every earlier chunk's φ(K)ᵀ V₁. Time O(T·L·D + T·F·D),
    /// and no (T, F, D) prefix sums are ever stored.
    /// </summary>
    private static Tensor CausalSums(Tensor q, Tensor k, Tensor values)
    {
        long b = q.shape[0], h = q.shape[1], t = q.shape[2], f = q.shape[3], e = values.shape[3];
        long l = Math.Min(Chunk, t), n = (t + l - 1) / l;
        if (n * l != t)
        {
            // Zero keys and values beyond the end add nothing; the extra queries' outputs are dropped.
            q = nn.functional.pad(q, [0, 0, 0, n * l - t]);
            k = nn.functional.pad(k, [0, 0, 0, n * l - t]);
            values = nn.functional.pad(values, [0, 0, 0, n * l - t]);
        }
        var q3 = q.reshape(b * h * n, l, f);
        var k3 = k.reshape(b * h * n, l, f);
        var v3 = values.reshape(b * h * n, l, e);
        var scores = q3.bmm(k3.transpose(1, 2));                                  // (BHn, L, L)
        // In place: bmm's backward needs its inputs, not its output.
        scores.masked_fill_(ones(l, l, ScalarType.Bool, q.device).triu(1), Zero);
        Tensor sums;
        if (n == 1)
        {
            sums = scores.bmm(v3);
        }
        else
        {
            // Chunk j sees the sum over chunks i < j: an exclusive prefix sum of the per-chunk sums.
            var perChunk = k3.transpose(1, 2).bmm(v3).view(b * h, n, f * e);
            var earlier = nn.functional.pad(perChunk.narrow(1, 0, n - 1).cumsum(1), [0, 0, 1, 0]).view(b * h * n, f, e);
            // torch.baddbmm(batch1, batch2, input) is input + batch1·batch2 in TorchSharp 0.107 (TORCHSHARP.md).
            sums = torch.baddbmm(scores, v3, q3.bmm(earlier));
        }
        var result = sums.view(b, h, n * l, e);
        return n * l == t ? result : result.narrow(2, 0, t);
    }
}
