namespace Composer
{
    /// <summary>The cell of a <see cref="RecurrentAttribute"/> mixer.</summary>
    public enum RecurrentCell
    {
        /// <summary>Long short-term memory.</summary>
        Lstm,

        /// <summary>Gated recurrent unit.</summary>
        Gru,
    }
}
