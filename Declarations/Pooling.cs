namespace Composer
{
    /// <summary>How a <see cref="ClassifierAttribute"/> model reduces the sequence to one vector.</summary>
    public enum Pooling
    {
        /// <summary>Mean over the non-padding positions.</summary>
        Mean,

        /// <summary>Element-wise maximum over the non-padding positions.</summary>
        Max,

        /// <summary>The first position (a leading classification token).</summary>
        First,

        /// <summary>The last non-padding position.</summary>
        Last,
    }
}
