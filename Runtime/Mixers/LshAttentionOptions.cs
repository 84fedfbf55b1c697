namespace Composer.Mixers;

/// <summary>Options of <see cref="LshAttention"/> (MIXERS.md §9).</summary>
/// <param name="Buckets">Hash buckets n_b per round, even and at least 2: each rotation column fills two buckets, x and −x.</param>
/// <param name="Rounds">Hashing rounds n_r, at least 1.</param>
/// <param name="ChunkSize">Positions per chunk c, at least 1; a chunk attends to itself and the previous chunk.</param>
/// <param name="Seed">Seed of the evaluation rotations, combined with the layer's index.</param>
public sealed record LshAttentionOptions(int Buckets = 32, int Rounds = 4, int ChunkSize = 64, int Seed = 0);
