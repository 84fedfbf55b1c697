using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Composer.Bench.Training.HandWritten;

/// <summary>The Transformer language model by hand: <see cref="DecoderLm"/> with <see cref="CausalSelfAttention"/> in every block.</summary>
internal static class TransformerLm
{
    public static DecoderLm Create(int vocabulary, int width, int heads, int depth, int maxLength, bool tied, double dropout) =>
        new(nameof(TransformerLm), vocabulary, width, maxLength, tied, dropout,
            Enumerable.Range(0, depth).Select(_ => new CausalSelfAttention(width, heads)));
}

/// <summary>
/// Multi-head causal self-attention: one fused projection c_attn (C → 3C, [Q | K | V]), libtorch's
/// scaled_dot_product_attention, c_proj over the concatenated heads. Decoding grows a key/value cache
/// with torch.cat.
/// </summary>
internal sealed class CausalSelfAttention : CausalMixer
{
    private readonly Linear c_attn;
    private readonly Linear c_proj;
    private readonly int width;
    private readonly int heads;

    public CausalSelfAttention(int width, int heads) : base(nameof(CausalSelfAttention))
    {
        this.width = width;
        this.heads = heads;
        c_attn = nn.Linear(width, 3 * width);
        c_proj = nn.Linear(width, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1];
        var (q, k, v) = Project(x);
        var y = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);  // (B, H, T, D)
        return c_proj.forward(y.transpose(1, 2).reshape(b, t, width));
    }

    public override Tensor step(Tensor x, Tensor[]? cache, out Tensor[] next)
    {
        long b = x.shape[0];
        var (q, k, v) = Project(x);
        if (cache is not null)
        {
            k = cat([cache[0], k], 2);
            v = cat([cache[1], v], 2);
        }
        next = [k, v];
        // The cache holds only earlier positions and this one: nothing to mask.
        var y = nn.functional.scaled_dot_product_attention(q, k, v);  // (B, H, 1, D)
        return c_proj.forward(y.transpose(1, 2).reshape(b, 1, width));
    }

    /// <summary>Queries, keys and values (B, H, T, D) of <paramref name="x"/> (B, T, C).</summary>
    private (Tensor Q, Tensor K, Tensor V) Project(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1];
        var qkv = c_attn.forward(x).split(width, 2);
        Tensor Heads(Tensor y) => y.view(b, t, heads, width / heads).transpose(1, 2);
        return (Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]));
    }
}
