using System;

namespace Composer
{
    /// <summary>
    /// Constant attention (MIXERS.md §7, the PAPA probe): each head mixes the values with a fixed
    /// (MaxLength × MaxLength) matrix instead of an input-dependent one. Needs
    /// <see cref="ModelAttribute.MaxLength"/>; in a decoder the matrix is masked causally and its rows
    /// renormalised.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class ConstantAttentionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;
    }
}
