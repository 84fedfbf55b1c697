namespace Composer.Mixers;

/// <summary>
/// Linear attention (MIXERS.md §4) as the decoder's cross mixer: φ(q)·φ(k) with φ(x) = elu(x) + 1 or
/// relu(x) + ε between target queries and memory keys. See <see cref="KernelCrossAttention"/>.
/// </summary>
[MixerFacts(CausalCapable = true, AlignmentFree = true, Needs = MixerNeeds.Heads, Cost = CostClass.Linear)]
public sealed class LinearCrossAttention : KernelCrossAttention
{
    private static readonly MixerFacts Description = new("linear cross-attention", CausalCapable: true, AlignmentFree: true, MixerNeeds.Heads, CostClass.Linear);

    /// <summary>Creates the mixer; the heads come from <paramref name="context"/>.</summary>
    public LinearCrossAttention(MixerContext context, LinearCrossAttentionOptions options)
        : base(nameof(LinearCrossAttention), context, (options ?? throw new System.ArgumentNullException(nameof(options))).FeatureMap, options.Epsilon)
    {
        FeatureMap = options.FeatureMap;
    }

    /// <summary>The feature map φ.</summary>
    public FeatureMap FeatureMap { get; }

    /// <inheritdoc />
    public override MixerFacts Facts => Description;
}
