using System;

namespace Composer
{
    /// <summary>
    /// Marks the decoder stack of a <see cref="Seq2SeqAttribute"/> model: a partial class nested
    /// directly in the model class, carrying the decoder's mixer attributes. The decoder is causal by
    /// construction. Each layer is <c>self mixer → cross mixer → feed-forward</c>; the cross mixer
    /// attends to the encoder output and is chosen with <see cref="TokenMixerAttribute.Cross"/>
    /// (softmax <see cref="SelfAttentionAttribute"/> with its default heads when none is given).
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class DecoderAttribute : Attribute
    {
        /// <summary>Number of decoder layers. Required.</summary>
        public int Depth { get; set; }
    }
}
