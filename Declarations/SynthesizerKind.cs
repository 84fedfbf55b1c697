namespace Composer
{
    /// <summary>How <see cref="SynthesizerAttentionAttribute"/> produces its attention logits (MIXERS.md §6).</summary>
    public enum SynthesizerKind
    {
        /// <summary>A learned (MaxLength × MaxLength) logit matrix per head, independent of the input.</summary>
        Random,

        /// <summary>Each token predicts its own row of logits with a two-layer network.</summary>
        Dense,
    }
}
