using System;

namespace Composer
{
    /// <summary>
    /// Makes the assembly a training executable for the listed models: the generator emits its entry
    /// point (<c>train</c>, <c>evaluate</c>, <c>generate</c>, <c>summary</c>, …) on the shared training
    /// loop. The project must build an executable (<c>&lt;OutputType&gt;Exe&lt;/OutputType&gt;</c>).
    /// </summary>
    /// <example>
    /// <code>
    /// [assembly: TrainingExecutable(typeof(LightConvLm), typeof(HybridLm))]
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
    public sealed class TrainingExecutableAttribute : Attribute
    {
        /// <summary>Lists the models the executable trains.</summary>
        /// <param name="models">Classes declared with <see cref="LanguageModelAttribute"/>,
        /// <see cref="Seq2SeqAttribute"/> or <see cref="ClassifierAttribute"/>; at least one, each once.</param>
        public TrainingExecutableAttribute(params Type[] models)
        {
            Models = models;
        }

        /// <summary>The models the executable trains, in the order given.</summary>
        public Type[] Models { get; }
    }
}
