using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Composer.Bench.Training.HandWritten;

// The benchmark's third side: the generated architectures written by hand, the way a TorchSharp user
// would write them from the papers (nanoGPT's layout and names, TorchSharp's built-in modules, fields
// registered by RegisterComponents' reflection). Nothing here uses Composer's runtime.

/// <summary>
/// A decoder-only language model with pre-norm blocks: token embedding scaled by √C plus interleaved
/// sinusoidal positions, the blocks, a final LayerNorm and the projection onto the vocabulary (the
/// embedding's own matrix when tied). <see cref="TransformerLm"/> and <see cref="LightConvLm"/> build it
/// with their mixers.
/// </summary>
internal sealed class DecoderLm : nn.Module<Tensor, Tensor>
{
    private readonly Embedding wte;
    private readonly Tensor pe;
    private readonly Dropout drop;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm ln_f;
    private readonly Linear? lm_head;
    private readonly double scale;

    public DecoderLm(string name, int vocabulary, int width, int maxLength, bool tied, double dropout, IEnumerable<CausalMixer> mixers) : base(name)
    {
        scale = Math.Sqrt(width);
        wte = nn.Embedding(vocabulary, width);
        // N(0, 1/C), as fairseq initialises an embedding that is scaled by √C: TorchSharp's N(0, 1) would
        // start a tied output at logits of size C. (Only fresh models; the benchmark loads shared weights.)
        using (var weight = wte.weight!) nn.init.normal_(weight, 0, 1 / Math.Sqrt(width));
        pe = Sinusoids(maxLength, width);
        // Not a weight: registered by hand so it moves with to() but stays out of the state dict.
        register_buffer("pe", pe, persistent: false);
        drop = nn.Dropout(dropout);
        blocks = nn.ModuleList(mixers.Select(mixer => new Block(width, mixer, dropout)).ToArray());
        ln_f = nn.LayerNorm(width);
        lm_head = tied ? null : nn.Linear(width, vocabulary, hasBias: false);
        RegisterComponents();
    }

    /// <summary>Logits (B, T, V) of the next token at every position of <paramref name="tokens"/> (B, T).</summary>
    public override Tensor forward(Tensor tokens)
    {
        var h = drop.forward(wte.forward(tokens) * scale + pe.narrow(0, 0, tokens.shape[1]));
        foreach (var block in blocks) h = block.forward(h);
        return Logits(ln_f.forward(h));
    }

    /// <summary>
    /// Greedy-decoding step: the logits (B, 1, V) after feeding <paramref name="token"/> (B, 1) at
    /// <see cref="DecodingState.Position"/>; the state keeps what later positions need.
    /// </summary>
    public Tensor step(Tensor token, DecodingState state)
    {
        var h = wte.forward(token) * scale + pe.narrow(0, state.Position, 1);
        for (int i = 0; i < blocks.Count; i++) h = blocks[i].step(h, state, i);
        state.Position++;
        return Logits(ln_f.forward(h));
    }

    /// <summary>An empty decoding state; dispose it when decoding ends.</summary>
    public DecodingState NewState() => new(blocks.Count);

    private Tensor Logits(Tensor h) => lm_head is null ? nn.functional.linear(h, wte.weight!) : lm_head.forward(h);

    /// <summary>PE(p, 2i) = sin(p / 10000^(2i/C)), PE(p, 2i + 1) = cos(…): (length, width), computed in float64.</summary>
    private static Tensor Sinusoids(long length, long width)
    {
        using var d = NewDisposeScope();
        var position = arange(0.0, length, 1.0, ScalarType.Float64).unsqueeze(1);
        var frequency = (arange(0.0, width, 2.0, ScalarType.Float64) * (-Math.Log(10000.0) / width)).exp();
        var angle = position * frequency;
        return stack([angle.sin(), angle.cos()], 2).reshape(length, width).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}

/// <summary>One pre-norm layer: x + drop(mixer(ln_1(x))), then x + drop(mlp(ln_2(x))).</summary>
internal sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly CausalMixer mixer;
    private readonly LayerNorm ln_2;
    private readonly Mlp mlp;
    private readonly Dropout drop;

    public Block(int width, CausalMixer mixer, double dropout) : base(nameof(Block))
    {
        ln_1 = nn.LayerNorm(width);
        this.mixer = mixer;
        ln_2 = nn.LayerNorm(width);
        mlp = new Mlp(width, 4 * width);
        drop = nn.Dropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x + drop.forward(mixer.forward(ln_1.forward(x)));
        return x + drop.forward(mlp.forward(ln_2.forward(x)));
    }

    /// <summary>One position (B, 1, C) of layer <paramref name="layer"/>; decoding runs in evaluation mode, so no dropout.</summary>
    public Tensor step(Tensor x, DecodingState state, int layer)
    {
        x = x + mixer.step(ln_1.forward(x), state.Cache(layer), out var next);
        state.Keep(layer, next);
        return x + mlp.forward(ln_2.forward(x));
    }
}

/// <summary>The position-wise feed-forward: c_proj(gelu(c_fc(x))), C → 4C → C.</summary>
internal sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear c_fc;
    private readonly Linear c_proj;

    public Mlp(int width, int inner) : base(nameof(Mlp))
    {
        c_fc = nn.Linear(width, inner);
        c_proj = nn.Linear(inner, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => c_proj.forward(nn.functional.gelu(c_fc.forward(x)));
}

/// <summary>A causal token mixer: whole sequences (B, T, C) in training, one position at a time in decoding.</summary>
internal abstract class CausalMixer(string name) : nn.Module<Tensor, Tensor>(name)
{
    /// <summary>
    /// The output (B, 1, C) at the next position from its input <paramref name="x"/> (B, 1, C) and what
    /// the mixer kept from earlier positions (<paramref name="cache"/>, null at the start);
    /// <paramref name="next"/> is what it keeps for the position after.
    /// </summary>
    public abstract Tensor step(Tensor x, Tensor[]? cache, out Tensor[] next);
}

/// <summary>Greedy decoding's state: each layer's cache and the position reached. It owns the caches.</summary>
internal sealed class DecodingState(int layers) : IDisposable
{
    private readonly Tensor[]?[] _caches = new Tensor[]?[layers];

    /// <summary>How many positions have been fed.</summary>
    public long Position { get; set; }

    public Tensor[]? Cache(int layer) => _caches[layer];

    /// <summary>Replaces layer <paramref name="layer"/>'s cache; the new tensors outlive the step's dispose scope.</summary>
    public void Keep(int layer, Tensor[] next)
    {
        foreach (var t in next) t.DetachFromDisposeScope();
        // By reference: Tensor.Equals compares values.
        foreach (var old in _caches[layer] ?? [])
            if (!next.Any(t => ReferenceEquals(t, old))) old.Dispose();
        _caches[layer] = next;
    }

    public void Dispose()
    {
        foreach (var cache in _caches)
            foreach (var t in cache ?? []) t.Dispose();
    }
}
