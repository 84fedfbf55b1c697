using System;

namespace Composer
{
    /// <summary>
    /// Marks the encoder stack of a <see cref="Seq2SeqAttribute"/> model: a partial class nested
    /// directly in the model class, carrying the encoder's mixer attributes. Encoder mixers see the
    /// whole source sequence (convolutions are centred).
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class EncoderAttribute : Attribute
    {
        /// <summary>Number of encoder layers. Required.</summary>
        public int Depth { get; set; }
    }
}
