namespace Composer.Probing;

/// <summary>The order in which the PAPA probe replaces heads by constant ones (MIXERS.md §7a step 4).</summary>
public enum HeadOrder
{
    /// <summary>
    /// Closest to constant first: the mean Jensen–Shannon divergence between each head's attention A(x)
    /// and its masked, row-normalised Ā on held-out data, smallest first (§7a 4b; Jensen–Shannon rather
    /// than KL because it stays finite where Ā is 0 and A(x) is not).
    /// </summary>
    Divergence,

    /// <summary>A random order drawn from the seed: the control.</summary>
    Random,

    /// <summary>
    /// PAPA's learned gate (§7 "Order of replacement", §7a 4a): each head mixes σ(λ_h)·A(x) + (1 − σ(λ_h))·Ā
    /// with λ starting at 0; only λ (and a classifier's head) is trained, and the heads with the smallest
    /// λ, those leaning most on Ā, are replaced first.
    /// </summary>
    Gate,
}
