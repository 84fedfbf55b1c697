using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Sliding-window softmax attention (MIXERS.md §1, "local-m"): position t attends only to keys j with
/// t − Window ≤ j ≤ t + Window in an encoder and t − Window ≤ j ≤ t in a decoder (itself and the Window
/// positions before it), besides padding. Decoding keeps the current and the last Window keys and values in
/// a <see cref="KeyValueCache"/> ring of Window + 1 positions, written in place. Parameters and heads as
/// <see cref="SelfAttention"/>.
/// </summary>
/// <remarks>
/// Cost is O(T·Window): the sequence is cut into blocks of Window queries, and each block attends to the
/// keys its queries can reach (3·Window of them in an encoder, 2·Window in a decoder), read through an
/// unfolded view of the keys rather than a T×T score matrix. A sequence no longer than that span is
/// attended densely with a band mask, which is then the cheaper form.
/// </remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.Heads | MixerNeeds.Window, Cost = CostClass.Window)]
public sealed class LocalAttention : MultiHeadSelfAttention
{
    private static readonly MixerFacts Description = new("local attention", CausalCapable: true, AlignmentFree: false, MixerNeeds.Heads | MixerNeeds.Window, CostClass.Window);

    /// <summary>Creates the mixer; heads, causality and attention dropout come from <paramref name="context"/>.</summary>
    public LocalAttention(MixerContext context, LocalAttentionOptions options)
        : base(context, sparsemax: false, cacheWindow: CheckedWindow(options)) => Window = options.Window;

    // Checked before the base constructor creates parameters, which a throwing constructor would leak.
    private static int CheckedWindow(LocalAttentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Window < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Window, "LocalAttention needs a window of at least 1 position");
        return options.Window;
    }

    /// <summary>Positions seen on each side (the left only in a decoder).</summary>
    public int Window { get; }

    /// <inheritdoc />
    public override MixerFacts Facts => Description;

    // Keys a query at t may see lie at offsets j − t in [Lowest, Highest].
    private long Lowest => -Window;
    private long Highest => Causal ? 0 : Window;

    private protected override Tensor Mix(Tensor q, Tensor k, Tensor v, Tensor? padding)
    {
        long t = q.shape[2];
        long span = Window + Highest - Lowest;
        return t <= span ? Dense(q, k, v, padding) : Blocked(q, k, v, padding);
    }

    private protected override Tensor? HiddenKeys(long t, Device device)
    {
        var positions = arange(t, device: device);
        var offset = positions.view(1, t) - positions.view(t, 1);
        return offset.lt(Lowest).logical_or(offset.gt(Highest));
    }

    /// <summary>Full (T, T) scores with everything outside the band hidden.</summary>
    private Tensor Dense(Tensor q, Tensor k, Tensor v, Tensor? padding)
    {
        long t = q.shape[2];
        var positions = arange(t, device: q.device);
        var offset = positions.view(1, t) - positions.view(t, 1);
        var hidden = offset.lt(Lowest).logical_or(offset.gt(Highest));
        if (padding is not null) hidden = hidden.logical_or(padding.view(padding.shape[0], 1, 1, t));
        return Attend(q, k, v, hidden, causal: false, rowsMayBeEmpty: padding is not null);
    }

    /// <summary>
    /// Queries in blocks of Window: block i (queries iW … iW + W − 1) sees key slots s = 0 … span − 1, which
    /// are keys j = iW + Lowest + s; the query at offset a in the block sees slot s iff 0 ≤ s − a ≤ Highest − Lowest.
    /// </summary>
    private Tensor Blocked(Tensor q, Tensor k, Tensor v, Tensor? padding)
    {
        long b = q.shape[0], h = q.shape[1], t = q.shape[2], d = q.shape[3];
        long block = Window, span = Window + Highest - Lowest;
        long blocks = (t + block - 1) / block;
        var device = q.device;

        var queries = nn.functional.pad(q, [0, 0, 0, blocks * block - t]).view(b, h, blocks, block, d);
        // Pad the keys so that every slot exists, then view them as overlapping windows: (B, H, blocks, span, D).
        long left = -Lowest, right = blocks * block - t + Highest;
        var keys = nn.functional.pad(k, [0, 0, left, right]).unfold(2, span, block).transpose(-2, -1);
        var values = nn.functional.pad(v, [0, 0, left, right]).unfold(2, span, block).transpose(-2, -1);

        var slot = arange(span, device: device).view(1, span);
        var fromQuery = slot - arange(block, device: device).view(block, 1);
        var outsideBand = fromQuery.lt(0).logical_or(fromQuery.gt(Highest - Lowest));                 // (block, span)
        var key = arange(blocks, device: device).view(blocks, 1) * block + Lowest + slot;            // (blocks, span)
        var outsideSequence = key.lt(0).logical_or(key.ge(t));
        var hidden = outsideBand.logical_or(outsideSequence.view(blocks, 1, span));                   // (blocks, block, span)
        if (padding is not null)
        {
            var paddedKeys = padding.index_select(1, key.clamp(0, t - 1).flatten()).view(b, 1, blocks, 1, span);
            hidden = hidden.logical_or(paddedKeys);                                                    // (B, 1, blocks, block, span)
        }
        var heads = Attend(queries, keys, values, hidden, causal: false, rowsMayBeEmpty: padding is not null);
        return heads.reshape(b, h, blocks * block, d).narrow(2, 0, t);
    }
}
