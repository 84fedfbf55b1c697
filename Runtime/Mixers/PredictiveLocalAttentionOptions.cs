namespace Composer.Mixers;

/// <summary>Options of <see cref="PredictiveLocalAttention"/>.</summary>
/// <param name="Window">Half-width of the window around each predicted centre, at least 1; the Gaussian's σ is half of it.</param>
public sealed record PredictiveLocalAttentionOptions(int Window);
