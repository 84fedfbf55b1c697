using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// A self-mixer that can let a shorter sequence of queries attend to a longer one: what the first layer
/// of each block after a Funnel pooling does (MIXERS.md §10, Funnel's <c>pool_q_only</c>), the pooled
/// sequence asking, the sequence before pooling answering, so no position is lost to the pooling before
/// this layer has read it. Only encoder (not causal) mixers do this. A generated Funnel stack calls it
/// where the layer's mixer implements it; other mixers see the pooled sequence alone.
/// </summary>
public interface IPooledQueryMixer : IMixer
{
    /// <summary>
    /// <paramref name="query"/> (B, T', C), the pooled sequence, attends to <paramref name="x"/> (B, T, C),
    /// the sequence it was pooled from, whose padding is <paramref name="padding"/> (B, T) or null, with the
    /// mixer's own projections: queries from <paramref name="query"/>, keys and values from
    /// <paramref name="x"/>. Returns (B, T', C).
    /// </summary>
    Tensor forward(Tensor query, Tensor x, Tensor? padding);
}
