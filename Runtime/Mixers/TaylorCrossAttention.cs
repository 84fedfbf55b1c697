namespace Composer.Mixers;

/// <summary>
/// Taylor attention (MIXERS.md §5) as the decoder's cross mixer: similarity 1 + q̂·k̂ between target
/// queries and memory keys, φ(x) = [1; x/‖x‖]. See <see cref="KernelCrossAttention"/>.
/// </summary>
[MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = MixerNeeds.Heads, Cost = CostClass.Linear)]
public sealed class TaylorCrossAttention : KernelCrossAttention
{
    private static readonly MixerFacts Description = new("Taylor cross-attention", CausalCapable: true, AlignmentFree: true, MixerNeeds.Heads, CostClass.Linear);

    /// <summary>Creates the mixer; the heads come from <paramref name="context"/>.</summary>
    public TaylorCrossAttention(MixerContext context, TaylorCrossAttentionOptions options)
        : base(nameof(TaylorCrossAttention), context, map: null, (options ?? throw new System.ArgumentNullException(nameof(options))).Epsilon)
    {
    }

    /// <inheritdoc />
    public override MixerFacts Facts => Description;
}
