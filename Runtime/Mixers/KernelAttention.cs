using System;
using Composer.Layers;
using Composer.Tensors;

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

    /// <summary>φ of a <see cref="Composer.FeatureMap"/>: elu(x) + 1, or relu(x) + ε.</summary>
    public static Func<Tensor, Tensor> FeatureMapOf(FeatureMap map, double epsilon) => map switch
    {
        FeatureMap.Elu => x => x.Elu() + 1.0,
        FeatureMap.Relu => x => x.Relu() + epsilon,
        _ => throw new ArgumentOutOfRangeException(nameof(map), map, "not a FeatureMap value"),
    };

    /// <summary>
    /// Taylor attention's φ(x) = [1; x/‖x‖] over the last dimension (F = D + 1), so φ(q)·φ(k) = 1 + q̂·k̂; the
    /// norm is clamped at 1e-12 (as <c>F.normalize</c>) so a zero vector maps to [1; 0] instead of NaN.
    /// </summary>
    public static Tensor Taylor(Tensor x) =>
        Functional.Pad(x / x.Norm(2, -1, keepdim: true).Clamp(min: 1e-12), [1, 0], value: 1.0);

    /// <summary>The full-sequence forward: <paramref name="x"/> (B, T, C), <paramref name="padding"/> (B, T) or null.</summary>
    public static Tensor Forward(Linear qkvProj, Linear outProj, int heads, bool causal, Func<Tensor, Tensor> phi, double epsilon, Tensor x, Tensor? padding)
    {
        var (q, k, v) = Project(qkvProj, heads, phi, x);
        // Padded keys add nothing to either sum (MIXERS.md N6).
        if (padding is not null) k = k.MaskedFill(padding.View(padding.Size(0), 1, padding.Size(1), 1), 0.0);
        var values = Functional.Pad(v, [0, 1], value: 1.0);                      // V₁ = [V | 1]
        var sums = causal ? CausalSums(q, k, values) : q.Matmul(k.Transpose(-2, -1).Matmul(values));
        return Merge(outProj, Normalise(sums, epsilon), x.DType);
    }

    /// <summary>One decoding step: adds the position's key and value to <paramref name="state"/> and attends with its query.</summary>
    public static Tensor Step(Linear qkvProj, Linear outProj, int heads, Func<Tensor, Tensor> phi, double epsilon, Tensor x, LinearAttentionState state)
    {
        var (q, k, v) = Project(qkvProj, heads, phi, x);                          // (B, H, 1, ·)
        var s = state.S + k.Transpose(-2, -1).Matmul(v);                         // (B, H, F, D)
        var z = state.Z + k.Squeeze(2);                                          // (B, H, F)
        state.Update(s, z);
        return Merge(outProj, Attend(q, s, z, epsilon), x.DType);
    }

    /// <summary>
    /// The sums of a memory (B, S, C) for cross-attention: S = Σ_s φ(K_s)ᵀ V_s (B, H, F, D) and
    /// z = Σ_s φ(K_s) (B, H, F), float32, with padded memory positions left out.
    /// </summary>
    public static (Tensor S, Tensor Z) MemorySums(Linear kvProj, int heads, Func<Tensor, Tensor> phi, Tensor memory, Tensor? memoryPadding)
    {
        long b = memory.Size(0), s = memory.Size(1), c = memory.Size(2), d = c / heads;
        var kv = kvProj.Forward(memory).View(b, s, 2, heads, d).Permute(2, 0, 3, 1, 4);
        if (kv.DType != DType.Float32) kv = kv.To(DType.Float32);
        var k = phi(kv.Select(0, 0));
        if (memoryPadding is not null) k = k.MaskedFill(memoryPadding.View(b, 1, s, 1), 0.0);
        var sums = k.Transpose(-2, -1).Matmul(Functional.Pad(kv.Select(0, 1), [0, 1], value: 1.0));   // [S | z], (B, H, F, D + 1)
        return (sums.Narrow(-1, 0, d), sums.Select(-1, d));
    }

    /// <summary>Cross-attention of <paramref name="query"/> (B, T, C) with a memory's sums; returns (B, T, C).</summary>
    public static Tensor CrossForward(Linear qProj, Linear outProj, int heads, Func<Tensor, Tensor> phi, double epsilon, Tensor query, Tensor s, Tensor z)
    {
        long b = query.Size(0), t = query.Size(1), c = query.Size(2);
        var q = qProj.Forward(query).View(b, t, heads, c / heads).Transpose(1, 2);
        if (q.DType != DType.Float32) q = q.To(DType.Float32);
        return Merge(outProj, Attend(phi(q), s, z, epsilon), query.DType);
    }

    /// <summary>φ(Q) S / (φ(Q)·z + ε) for φ(Q) (B, H, T, F), S (B, H, F, D), z (B, H, F); returns (B, H, T, D).</summary>
    private static Tensor Attend(Tensor q, Tensor s, Tensor z, double epsilon) =>
        q.Matmul(s) / (q.Matmul(z.Unsqueeze(-1)) + epsilon);

    /// <summary>An empty self-attention state: zero sums in float32.</summary>
    public static LinearAttentionState NewState(MixerContext context, long batchSize, long features)
    {
        int heads = context.Heads, d = context.Width / context.Heads;
        var device = context.Module.Device;
        return new LinearAttentionState(
            Torch.Zeros([batchSize, heads, features, d], DType.Float32, device),
            Torch.Zeros([batchSize, heads, features], DType.Float32, device));
    }

    /// <summary>(B, T, C) → φ(Q), φ(K) (B, H, T, F) and V (B, H, T, D), in float32.</summary>
    private static (Tensor Q, Tensor K, Tensor V) Project(Linear qkvProj, int heads, Func<Tensor, Tensor> phi, Tensor x)
    {
        long b = x.Size(0), t = x.Size(1), c = x.Size(2);
        var qkv = qkvProj.Forward(x).View(b, t, 3, heads, c / heads).Permute(2, 0, 3, 1, 4);
        if (qkv.DType != DType.Float32) qkv = qkv.To(DType.Float32);
        return (phi(qkv.Select(0, 0)), phi(qkv.Select(0, 1)), qkv.Select(0, 2));
    }

    /// <summary>[numerator | normaliser] (…, D + 1) → numerator / (normaliser + ε), (…, D).</summary>
    private static Tensor Normalise(Tensor sums, double epsilon)
    {
        long d = sums.Size(-1) - 1;
        return sums.Narrow(-1, 0, d) / (sums.Narrow(-1, d, 1) + epsilon);
    }

    /// <summary>Heads (B, H, T, D) → (B, T, C) in the model's dtype, then <c>out_proj</c>.</summary>
    private static Tensor Merge(Linear outProj, Tensor heads, DType dtype)
    {
        long b = heads.Size(0), h = heads.Size(1), t = heads.Size(2), d = heads.Size(3);
        var merged = heads.Transpose(1, 2).Reshape(b, t, h * d);
        return outProj.Forward(merged.DType == dtype ? merged : merged.To(dtype));
    }

    /// <summary>
    /// φ(Q_t) Σ_{s≤t} φ(K_s)ᵀ V₁_s for every t, chunked: within a chunk of L positions the masked quadratic
    /// form φ(Q) φ(K)ᵀ V₁, plus the running sum of every earlier chunk's φ(K)ᵀ V₁. Time O(T·L·D + T·F·D),
    /// and no (T, F, D) prefix sums are ever stored.
    /// </summary>
    private static Tensor CausalSums(Tensor q, Tensor k, Tensor values)
    {
        long b = q.Size(0), h = q.Size(1), t = q.Size(2), f = q.Size(3), e = values.Size(3);
        long l = Math.Min(Chunk, t), n = (t + l - 1) / l;
        if (n * l != t)
        {
            // Zero keys and values beyond the end add nothing; the extra queries' outputs are dropped.
            q = Functional.Pad(q, [0, 0, 0, n * l - t]);
            k = Functional.Pad(k, [0, 0, 0, n * l - t]);
            values = Functional.Pad(values, [0, 0, 0, n * l - t]);
        }
        var q3 = q.Reshape(b * h * n, l, f);
        var k3 = k.Reshape(b * h * n, l, f);
        var v3 = values.Reshape(b * h * n, l, e);
        var scores = q3.Bmm(k3.Transpose(1, 2));                                  // (BHn, L, L)
        // In place: bmm's backward needs its inputs, not its output.
        scores.MaskedFillInPlace(Torch.Ones([l, l], DType.Bool, q.Device).Triu(1), 0.0);
        Tensor sums;
        if (n == 1)
        {
            sums = scores.Bmm(v3);
        }
        else
        {
            // Chunk j sees the sum over chunks i < j: an exclusive prefix sum of the per-chunk sums.
            var perChunk = k3.Transpose(1, 2).Bmm(v3).View(b * h, n, f * e);
            var earlier = Functional.Pad(perChunk.Narrow(1, 0, n - 1).Cumsum(1), [0, 0, 1, 0]).View(b * h * n, f, e);
            sums = Torch.Baddbmm(q3.Bmm(earlier), scores, v3);
        }
        var result = sums.View(b, h, n * l, e);
        return n * l == t ? result : result.Narrow(2, 0, t);
    }
}
