namespace Composer.Generator.Specs
{
    /// <summary>Mirrors Composer.FunnelPooling (same numeric values; a test keeps them in step).</summary>
    internal enum FunnelPooling
    {
        Mean,
        Max,
    }

    /// <summary>
    /// How a stack's layers are wired beyond one residual layer after another, as its [LanguageModel],
    /// [Classifier], [Encoder] or [Decoder] attribute declares it: <see cref="Reversible"/> coupling
    /// (MIXERS.md §9), Funnel pooling between blocks of <see cref="Funnel"/> layers (§10; empty: none),
    /// how it pools and whether the first position is kept apart.
    /// </summary>
    internal sealed record StackStructure(bool Reversible, EquatableArray<int> Funnel, FunnelPooling FunnelPooling, bool FunnelKeepFirst)
    {
        /// <summary>A stack that declares none of these options.</summary>
        public static StackStructure None { get; } = new StackStructure(false, EquatableArray<int>.Empty, FunnelPooling.Mean, false);

        /// <summary>Whether the stack pools between blocks.</summary>
        public bool IsFunnel => Funnel.Count > 0;
    }
}
