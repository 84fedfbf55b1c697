using System;

namespace Composer
{
    /// <summary>
    /// Declares an encoder-only sequence classifier: token embedding, <see cref="Depth"/>
    /// bidirectional layers, a pooling of the sequence and a linear layer onto <see cref="Classes"/>.
    /// </summary>
    /// <example>
    /// <code>
    /// [Classifier(Vocabulary = 256, Classes = 2, Width = 128, Depth = 4)]
    /// [SelfAttention(Heads = 4)]
    /// public partial class AttentionClassifier;
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class ClassifierAttribute : ModelAttribute
    {
        /// <summary>Number of tokens in the vocabulary. Required.</summary>
        public int Vocabulary { get; set; }

        /// <summary>Number of layers. Required.</summary>
        public int Depth { get; set; }

        /// <summary>Number of classes, at least 2. Required.</summary>
        public int Classes { get; set; }

        /// <summary>How the sequence is reduced to one vector. Default <see cref="Composer.Pooling.Mean"/>.</summary>
        public Pooling Pooling { get; set; } = Pooling.Mean;
    }
}
