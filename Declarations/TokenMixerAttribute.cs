using System;

namespace Composer
{
    /// <summary>
    /// Base of every mixer attribute: which layers of the stack the mixer fills, and whether it is
    /// the decoder's cross mixer. Put mixer attributes on a <see cref="LanguageModelAttribute"/> or
    /// <see cref="ClassifierAttribute"/> class, or on the <see cref="EncoderAttribute"/> /
    /// <see cref="DecoderAttribute"/> class of a <see cref="Seq2SeqAttribute"/> model. Every layer
    /// needs exactly one mixer (and, in a decoder, at most one cross mixer).
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public abstract class TokenMixerAttribute : Attribute
    {
        /// <summary>
        /// The layers this mixer fills, counted from 0. Null (the default) means every layer.
        /// </summary>
        /// <remarks>
        /// A comma-separated list of items; each item is an index or a half-open range, as in C#:
        /// <list type="bullet">
        /// <item><c>"2"</c>: layer 2.</item>
        /// <item><c>"0..4"</c>: layers 0, 1, 2 and 3 (the end is excluded).</item>
        /// <item><c>"4.."</c>: layer 4 to the last; <c>"..2"</c>: layers 0 and 1.</item>
        /// <item><c>"^1"</c>: the last layer; <c>"^2.."</c>: the last two layers.</item>
        /// <item><c>"0,2,4"</c> or <c>"0..2, 5"</c>: the union of the items.</item>
        /// </list>
        /// Spaces are allowed between items. Each layer may be selected once; ranges may not be empty.
        /// </remarks>
        public string? Layers { get; set; }

        /// <summary>
        /// Use this mixer for the cross-attention sublayer of a <see cref="DecoderAttribute"/> stack
        /// (queries from the decoder, keys and values from the encoder output) instead of its
        /// self-mixing sublayer. Only alignment-free mixers qualify: <see cref="SelfAttentionAttribute"/>,
        /// <see cref="LinearAttentionAttribute"/>, <see cref="TaylorAttentionAttribute"/>,
        /// <see cref="SparsemaxAttentionAttribute"/>, <see cref="ScoredAttentionAttribute"/> (but for its location-based
        /// score) and user mixers. Default false.
        /// </summary>
        public bool Cross { get; set; }
    }
}
