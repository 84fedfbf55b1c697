namespace Composer.Probing;

/// <summary>A head with the score that placed it in the replacement order (lower goes first).</summary>
/// <param name="Head">The head.</param>
/// <param name="Score">Mean Jensen–Shannon divergence (nats), learned gate λ, or the random draw.</param>
public sealed record RankedHead(AttentionHead Head, double Score);
