using System;
using System.Collections.Generic;

namespace Composer.Data;

/// <summary>
/// Groups examples into batches of at most a token budget, counting padding: a batch of B examples
/// whose longest is L costs B × L tokens.
/// </summary>
/// <remarks>
/// Training order (fairseq-style length bucketing, randomised per epoch): shuffle every example,
/// cut the shuffled order into buckets of about <see cref="BatchesPerBucket"/> batches, sort each
/// bucket by length so neighbours pad little, pack greedily until the budget, then shuffle the
/// batches so lengths do not drift through the epoch. Evaluation order: sort everything by length
/// and pack, with no randomness, so the same set always gives the same batches.
/// </remarks>
internal static class BatchPlanner
{
    /// <summary>How many batches' worth of examples share a bucket: enough to find similar lengths, few enough that batch contents still change between epochs.</summary>
    public const int BatchesPerBucket = 32;

    /// <summary>The batches of one training epoch, as example indices; every example appears exactly once.</summary>
    public static List<int[]> PlanEpoch(ReadOnlySpan<int> lengths, int budget, SeededRandom random)
    {
        var order = new int[lengths.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        random.Shuffle<int>(order);

        long total = 0;
        foreach (int l in lengths) total += l;
        double mean = lengths.Length == 0 ? 1 : Math.Max(1.0, (double)total / lengths.Length);
        int bucket = (int)Math.Clamp(BatchesPerBucket * (budget / mean), 1, int.MaxValue);

        var batches = new List<int[]>();
        for (int start = 0; start < order.Length; start += bucket)
        {
            var slice = order.AsSpan(start, Math.Min(bucket, order.Length - start));
            SortByLength(slice, lengths);
            Pack(slice, lengths, budget, batches);
        }
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batches));
        return batches;
    }

    /// <summary>The fixed batches of an evaluation set: sorted by length, packed, in order.</summary>
    public static List<int[]> PlanInOrder(ReadOnlySpan<int> lengths, int budget)
    {
        var order = new int[lengths.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        SortByLength(order, lengths);
        var batches = new List<int[]>();
        Pack(order, lengths, budget, batches);
        return batches;
    }

    /// <summary>Cuts <paramref name="order"/> into consecutive batches, each as long as the budget allows.</summary>
    public static void Pack(ReadOnlySpan<int> order, ReadOnlySpan<int> lengths, int budget, List<int[]> into)
    {
        int start = 0, longest = 0;
        for (int i = 0; i < order.Length; i++)
        {
            int l = lengths[order[i]];
            if (l > budget) throw new InvalidOperationException($"an example of {l} tokens exceeds the token budget {budget}; sources check this when they are built");
            int next = Math.Max(longest, l);
            if ((long)(i - start + 1) * next > budget)
            {
                into.Add(order[start..i].ToArray());
                start = i;
                next = l;
            }
            longest = next;
        }
        if (start < order.Length) into.Add(order[start..].ToArray());
    }

    /// <summary>Stable sort by length (ties keep their order, so the result depends only on the input order).</summary>
    private static void SortByLength(Span<int> items, ReadOnlySpan<int> lengths)
    {
        var keys = new long[items.Length];
        for (int i = 0; i < items.Length; i++) keys[i] = ((long)lengths[items[i]] << 32) | (uint)i;
        keys.AsSpan().Sort(items);
    }
}
