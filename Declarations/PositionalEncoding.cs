namespace Composer
{
    /// <summary>Positional information added to the token embeddings.</summary>
    public enum PositionalEncoding
    {
        /// <summary>No positions; the mixers must provide order themselves (convolutions, recurrent mixers).</summary>
        None,

        /// <summary>Fixed sine and cosine features of the position; works for any length.</summary>
        Sinusoidal,

        /// <summary>A learned embedding per position; needs <see cref="ModelAttribute.MaxLength"/>.</summary>
        Learned,
    }
}
