namespace Composer
{
    /// <summary>How a Funnel stack pools each pair of positions between its blocks (MIXERS.md §10).</summary>
    public enum FunnelPooling
    {
        /// <summary>The mean of the two positions (Funnel-Transformer's default).</summary>
        Mean,

        /// <summary>The element-wise maximum of the two positions.</summary>
        Max,
    }
}
