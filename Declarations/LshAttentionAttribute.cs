using System;

namespace Composer
{
    /// <summary>
    /// Reformer's LSH attention (MIXERS.md §9, Kitaev, Kaiser &amp; Levskaya 2020): queries and keys share
    /// one projection (keys are the unit-normalised queries); <see cref="Rounds"/> random rotations hash
    /// every position into one of <see cref="Buckets"/> buckets, h(x) = argmax([xR; −xR]); per round the
    /// positions are sorted by (bucket, position) and cut into chunks of <see cref="ChunkSize"/>, and each
    /// chunk attends to itself and the previous chunk, within its bucket. Causal in a decoder.
    /// </summary>
    /// <remarks>
    /// The rotations are drawn from <see cref="Seed"/> and the layer's index and kept with the weights, so
    /// evaluation and decoding are deterministic; training draws fresh rotations at every forward pass,
    /// as the paper does. Decoding has no bucketed shortcut: a step attends to every earlier position
    /// through a full key-value cache, so it sees at least what the forward pass's buckets show it.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class LshAttentionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;

        /// <summary>Number of hash buckets n_b per round; even, since each rotation fills two buckets (x and −x). Default 32.</summary>
        public int Buckets { get; set; } = 32;

        /// <summary>Number of hashing rounds n_r: more rounds see more of the sequence, at n_r times the cost. Default 4.</summary>
        public int Rounds { get; set; } = 4;

        /// <summary>Positions per chunk c; a chunk attends to itself and the previous chunk (2c keys). Default 64.</summary>
        public int ChunkSize { get; set; } = 64;

        /// <summary>Seed of the rotations used in evaluation and decoding (combined with the layer's index). Default 0.</summary>
        public int Seed { get; set; }
    }
}
