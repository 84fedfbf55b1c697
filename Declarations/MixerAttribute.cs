using System;

namespace Composer
{
    /// <summary>
    /// Plugs a user-written mixer into the selected layers. <typeparamref name="TMixer"/> must be a
    /// non-abstract class that implements <c>Composer.Mixers.IMixer</c> (Composer.Runtime) and has a
    /// public constructor taking <c>(Composer.Mixers.MixerContext context)</c>; the generated model
    /// constructs one instance per covered layer.
    /// </summary>
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
    }
}
