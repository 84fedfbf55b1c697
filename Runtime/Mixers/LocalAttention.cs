using System;
using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// Sliding-window softmax attention (MIXERS.md §1, "local-m"): position t attends only to keys j with
/// t − Window ≤ j ≤ t + Window in an encoder and t − Window ≤ j ≤ t in a decoder (itself and the Window
/// positions before it), besides padding. Decoding keeps the last Window keys and values. Parameters and
/// heads as <see cref="SelfAttention"/>.
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
        long t = q.Size(2);
        long span = Window + Highest - Lowest;
        return t <= span ? Dense(q, k, v, padding) : Blocked(q, k, v, padding);
    }

    /// <summary>Full (T, T) scores with everything outside the band hidden.</summary>
    private Tensor Dense(Tensor q, Tensor k, Tensor v, Tensor? padding)
    {
        long t = q.Size(2);
        var positions = Torch.Arange(t, q.Device);
        var offset = positions.View(1, t) - positions.View(t, 1);
        var hidden = offset.Lt(Lowest).LogicalOr(offset.Gt(Highest));
        if (padding is not null) hidden = hidden.LogicalOr(padding.View(padding.Size(0), 1, 1, t));
        return Attend(q, k.Transpose(-2, -1), v, hidden, rowsMayBeEmpty: padding is not null);
    }

    /// <summary>
    /// Queries in blocks of Window: block i (queries iW … iW + W − 1) sees key slots s = 0 … span − 1, which
    /// are keys j = iW + Lowest + s; the query at offset a in the block sees slot s iff 0 ≤ s − a ≤ Highest − Lowest.
    /// </summary>
    private Tensor Blocked(Tensor q, Tensor k, Tensor v, Tensor? padding)
    {
        long b = q.Size(0), h = q.Size(1), t = q.Size(2), d = q.Size(3);
        long block = Window, span = Window + Highest - Lowest;
        long blocks = (t + block - 1) / block;
        var device = q.Device;

        var queries = Functional.Pad(q, [0, 0, 0, blocks * block - t]).View(b, h, blocks, block, d);
        // Pad the keys so that every slot exists, then view them as overlapping windows: (B, H, blocks, D, span).
        long left = -Lowest, right = blocks * block - t + Highest;
        var keysTransposed = Functional.Pad(k, [0, 0, left, right]).Unfold(2, span, block);
        var values = Functional.Pad(v, [0, 0, left, right]).Unfold(2, span, block).Transpose(-2, -1);

        var slot = Torch.Arange(span, device).View(1, span);
        var fromQuery = slot - Torch.Arange(block, device).View(block, 1);
        var outsideBand = fromQuery.Lt(0).LogicalOr(fromQuery.Gt(Highest - Lowest));                 // (block, span)
        var key = Torch.Arange(blocks, device).View(blocks, 1) * block + Lowest + slot;            // (blocks, span)
        var outsideSequence = key.Lt(0).LogicalOr(key.Ge(t));
        var hidden = outsideBand.LogicalOr(outsideSequence.View(blocks, 1, span));                // (blocks, block, span)
        if (padding is not null)
        {
            var paddedKeys = padding.IndexSelect(1, key.Clamp(0, t - 1).Flatten()).View(b, 1, blocks, 1, span);
            hidden = hidden.LogicalOr(paddedKeys);                                                 // (B, 1, blocks, block, span)
        }
        var heads = Attend(queries, keysTransposed, values, hidden, rowsMayBeEmpty: padding is not null);
        return heads.Reshape(b, h, blocks * block, d).Narrow(2, 0, t);
    }
}
