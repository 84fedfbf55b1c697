using System;

namespace Composer.Data;

/// <summary>
/// A pseudo-random bijection of [0, count) computed index by index, with no table: a corpus of a
/// billion windows is shuffled per epoch without a billion-entry array, and any position of the
/// shuffled order is available at once (what makes seeking exact and free).
/// </summary>
/// <remarks>
/// A four-round balanced Feistel network permutes [0, 4^k) for the smallest 4^k ≥ count; indices
/// that land outside [0, count) are sent through again ("cycle walking"), which keeps the map a
/// bijection of [0, count). Since 4^k &lt; 4·count, a walk takes under four rounds on average.
/// </remarks>
internal readonly struct IndexPermutation
{
    private const int Rounds = 4;
    private readonly long _count;
    private readonly int _halfBits;
    private readonly ulong _halfMask;
    private readonly ulong _key;

    /// <summary>A permutation of [0, <paramref name="count"/>) chosen by <paramref name="key"/>.</summary>
    public IndexPermutation(long count, ulong key)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "a permutation needs at least one element");
        _count = count;
        int bits = 2;
        while (bits < 62 && (1L << bits) < count) bits += 2;
        _halfBits = bits / 2;
        _halfMask = (1UL << _halfBits) - 1;
        _key = key;
    }

    /// <summary>Number of elements permuted.</summary>
    public long Count => _count;

    /// <summary>The element at shuffled position <paramref name="index"/>.</summary>
    public long this[long index]
    {
        get
        {
            if ((ulong)index >= (ulong)_count) throw new ArgumentOutOfRangeException(nameof(index));
            ulong x = (ulong)index;
            do x = Encrypt(x); while (x >= (ulong)_count);
            return (long)x;
        }
    }

    private ulong Encrypt(ulong x)
    {
        ulong left = x >> _halfBits, right = x & _halfMask;
        for (int round = 0; round < Rounds; round++)
        {
            ulong mixed = _key ^ ((ulong)round << 56) ^ right;
            ulong f = SeededRandom.SplitMix(ref mixed) & _halfMask;
            (left, right) = (right, left ^ f);
        }
        return (left << _halfBits) | right;
    }
}
