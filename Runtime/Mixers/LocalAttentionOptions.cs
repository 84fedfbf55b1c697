namespace Composer.Mixers;

/// <summary>Options of <see cref="LocalAttention"/>.</summary>
/// <param name="Window">
/// Positions seen on each side: position t attends to t − Window … t + Window in an encoder and to
/// t − Window … t in a decoder. At least 1.
/// </param>
public sealed record LocalAttentionOptions(int Window);
