using System;

namespace Composer.Generation;

/// <summary>How the next token is chosen from the logits.</summary>
/// <param name="Temperature">0 picks the most likely token (greedy); otherwise logits are divided by it before sampling.</param>
/// <param name="TopK">Keep only the k most likely tokens (0 keeps all).</param>
/// <param name="TopP">Keep the smallest set of most likely tokens whose probability reaches p (1 keeps all).</param>
public sealed record SamplingOptions(double Temperature = 1.0, int TopK = 0, double TopP = 1.0)
{
    /// <summary>Always the most likely token.</summary>
    public static readonly SamplingOptions Greedy = new(Temperature: 0);

    /// <summary>Checks the values, with a message that says which one is wrong.</summary>
    public void Validate()
    {
        if (!(Temperature >= 0) || double.IsInfinity(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be 0 (greedy) or a positive number");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top-k must be 0 (off) or positive");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top-p must be in (0, 1]");
    }
}
