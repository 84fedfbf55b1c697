namespace Composer.Mixers;

/// <summary>Options of <see cref="CrossAttention"/>.</summary>
/// <param name="Sparsemax">
/// Normalise scores with sparsemax instead of softmax: the cross mixer of a <c>[SparsemaxAttention(Cross = true)]</c> declaration.
/// </param>
public sealed record CrossAttentionOptions(bool Sparsemax = false);
