namespace Composer.Generator.Emit
{
    /// <summary>Parameter arithmetic that saturates at <see cref="long.MaxValue"/> instead of
    /// overflowing, so an absurd declaration still generates (and never throws).</summary>
    internal static class Count
    {
        public static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

        public static long Mul(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;
    }
}
