using System;
using Composer.Layers;
using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// What softmax, sparsemax and local self-attention share (MIXERS.md §0): one fused projection
/// <c>qkv_proj</c> (C → 3C, output channels [Q | K | V], each split into H heads of D = C/H contiguous
/// channels), the heads' attention, and <c>out_proj</c> (C → C) over the concatenated heads. Decoding keeps a
/// <see cref="KeyValueCache"/>. The subclasses differ in which keys a query sees and how scores become weights.
/// </summary>
public abstract class MultiHeadSelfAttention : Module, IIncrementalMixer<KeyValueCache>
{
    private readonly Linear _qkvProj;
    private readonly Linear _outProj;
    private readonly double _scale;
    private readonly double _dropout;
    private readonly bool _sparsemax;
    private readonly int _cacheWindow; // how many recent positions the decoding cache keeps (0: all)

    private protected MultiHeadSelfAttention(MixerContext context, bool sparsemax, int cacheWindow = 0)
    {
        Attention.CheckHeads(GetType().Name, context);
        _cacheWindow = cacheWindow;
        Width = context.Width;
        Heads = context.Heads;
        Causal = context.Causal;
        _dropout = context.AttentionDropout;
        _sparsemax = sparsemax;
        _scale = 1.0 / Math.Sqrt(Width / Heads);
        _qkvProj = RegisterModule("qkv_proj", new Linear(context.Module, Width, 3 * Width));
        _outProj = RegisterModule("out_proj", new Linear(context.Module, Width, Width));
    }

    /// <summary>Model channels C.</summary>
    public int Width { get; }

    /// <summary>Number of heads H.</summary>
    public int Heads { get; }

    /// <summary>Whether position t sees only positions ≤ t (a decoder layer).</summary>
    public bool Causal { get; }

    /// <inheritdoc />
    public abstract MixerFacts Facts { get; }

    /// <inheritdoc />
    public Tensor Forward(Tensor x, Tensor? padding)
    {
        Attention.CheckSequence(GetType().Name, nameof(x), x, Width);
        Attention.CheckPadding(GetType().Name, nameof(padding), padding, x);
        var (q, k, v) = Project(x);
        return _outProj.Forward(Attention.MergeHeads(Mix(q, k, v, padding)));
    }

    /// <summary>
    /// Attention of the heads over the whole sequence: q (already scaled by 1/√D), k and v are (B, H, T, D);
    /// returns (B, H, T, D). Here every query sees every key except padded ones and, when causal, later ones.
    /// </summary>
    private protected virtual Tensor Mix(Tensor q, Tensor k, Tensor v, Tensor? padding)
    {
        long t = q.Size(2);
        Tensor? hidden = Causal ? Torch.Ones([t, t], DType.Bool, q.Device).Triu(1) : null;
        if (padding is not null)
        {
            var paddedKeys = padding.View(padding.Size(0), 1, 1, t);
            hidden = hidden is null ? paddedKeys : hidden.LogicalOr(paddedKeys);
        }
        return Attend(q, k.Transpose(-2, -1), v, hidden, rowsMayBeEmpty: padding is not null);
    }

    /// <inheritdoc />
    public KeyValueCache NewState(long batchSize) => new(_cacheWindow);

    /// <inheritdoc />
    public Tensor Step(Tensor x, KeyValueCache state)
    {
        if (!Causal)
            throw new InvalidOperationException($"{GetType().Name} was built for an encoder (not causal), so it cannot decode step by step");
        Attention.CheckSequence(GetType().Name, nameof(x), x, Width);
        if (x.Size(1) != 1)
            throw new ArgumentException($"{GetType().Name}.Step takes one position, (batch, 1, {Width}), got [{string.Join(", ", x.Shape)}]", nameof(x));
        var (q, k, v) = Project(x);
        // The cache holds only positions the new one may see, so nothing is masked.
        var (keys, values) = state.Append(k, v);
        var heads = Attend(q, keys.Transpose(-2, -1), values, hidden: null, rowsMayBeEmpty: false);
        return _outProj.Forward(Attention.MergeHeads(heads));
    }

    /// <summary>Normalised, dropped-out attention of q over keys; see <see cref="Attention.Attend"/>.</summary>
    private protected Tensor Attend(Tensor q, Tensor keysTransposed, Tensor values, Tensor? hidden, bool rowsMayBeEmpty) =>
        Attention.Attend(q, keysTransposed, values, hidden, rowsMayBeEmpty, _sparsemax, _dropout, Training);

    /// <summary>(B, T, C) → q·(1/√D), k, v, each (B, H, T, D).</summary>
    private (Tensor Q, Tensor K, Tensor V) Project(Tensor x)
    {
        // Chunk rather than three Selects: its backward is one concatenation, not three zero-filled copies.
        var qkv = _qkvProj.Forward(x).Chunk(3, -1);
        return (Attention.SplitHeads(qkv[0], Heads) * _scale, Attention.SplitHeads(qkv[1], Heads), Attention.SplitHeads(qkv[2], Heads));
    }
}
