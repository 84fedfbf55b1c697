using System;

namespace Composer.Data;

/// <summary>
/// A small deterministic random generator (xoshiro256**, seeded through SplitMix64). Data order must
/// not depend on the .NET version or on <see cref="Random"/>'s algorithm, and every stream (training
/// order of epoch 3, the validation split, task generation) gets its own generator from a key.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator whose whole sequence is fixed by <paramref name="key"/>.</summary>
    public SeededRandom(ulong key)
    {
        ulong x = key;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>A generator for one purpose of one seed (purposes are the stream constants in <see cref="Streams"/>).</summary>
    public SeededRandom(long seed, ulong stream, long index = 0) : this(Key(seed, stream, index)) { }

    /// <summary>Mixes a seed, a stream id and an index (an epoch, an example number) into one key.</summary>
    public static ulong Key(long seed, ulong stream, long index = 0)
    {
        ulong x = (ulong)seed;
        ulong k = SplitMix(ref x);
        x = k ^ stream * 0x9E3779B97F4A7C15UL;
        k = SplitMix(ref x);
        x = k ^ (ulong)index * 0xD1B54A32D192ED03UL;
        return SplitMix(ref x);
    }

    /// <summary>64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, <paramref name="count"/>), without modulo bias.</summary>
    public int Next(int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), "the count must be positive");
        // Lemire's multiply-and-reject.
        ulong bound = (ulong)count;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            UInt128 product = (UInt128)NextUInt64() * bound;
            if ((ulong)product >= threshold) return (int)(ulong)(product >> 64);
        }
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>] (both included).</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => (NextUInt64() >> 11) * (1.0 / (1UL << 53)) < p;

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    internal static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Stream ids: one per use of randomness, so changing one use never shifts another.</summary>
    internal static class Streams
    {
        public const ulong TrainOrder = 1;
        public const ulong Split = 2;
        public const ulong TaskTrain = 3;
        public const ulong TaskValidation = 4;
        public const ulong TaskTest = 5;
    }
}
