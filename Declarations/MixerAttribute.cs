using System;

namespace Composer
{
    /// <summary>
    /// Plugs a user-written mixer into the selected layers. <typeparamref name="TMixer"/> must be a
    /// non-abstract class that implements <c>Composer.Mixers.IMixer</c> (Composer.Runtime) and has a
    /// public constructor taking <c>(Composer.Mixers.MixerContext context)</c>; the generated model
    /// constructs one instance per covered layer.
    /// </summary>
    /// <remarks>
    /// What the mixer needs from the declaration is stated on its class with
    /// <c>[MixerFacts(Needs = …)]</c> and checked as for the built-in mixers: <c>MixerNeeds.Heads</c>
    /// takes <see cref="Heads"/>, <c>MixerNeeds.Kernel</c> requires <see cref="Kernels"/>,
    /// <c>MixerNeeds.Window</c> requires <see cref="Window"/>, <c>MixerNeeds.MaxLength</c> requires the
    /// model's MaxLength; the values reach the mixer through its <c>MixerContext</c>. Setting one the
    /// mixer does not need is a warning: it would not be passed.
    /// </remarks>
    /// <typeparam name="TMixer">The mixer class.</typeparam>
    /// <example>
    /// <code>
    /// [LanguageModel(Vocabulary = 256, Width = 256, Depth = 4)]
    /// [Mixer&lt;GatedMlpMixer&gt;(Layers = "0..2")]
    /// [SelfAttention(Layers = "2..")]
    /// public partial class GatedLm;
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class MixerAttribute<TMixer> : TokenMixerAttribute
        where TMixer : class
    {
        /// <summary>Number of heads, for a mixer that needs them (<c>MixerNeeds.Heads</c>); Width must be
        /// divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;

        /// <summary>Kernel width of each covered layer, in layer order, or a single value for all, for a
        /// mixer that needs one (<c>MixerNeeds.Kernel</c>, then required).</summary>
        public int[]? Kernels { get; set; }

        /// <summary>Window size, for a mixer that needs one (<c>MixerNeeds.Window</c>, then required).</summary>
        public int Window { get; set; }
    }
}
