using System;

namespace Composer
{
    /// <summary>
    /// A recurrent mixer (LSTM or GRU), the classical baseline. Unidirectional recurrences are causal;
    /// a bidirectional one runs Width / 2 channels per direction and belongs in an encoder.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class RecurrentAttribute : TokenMixerAttribute
    {
        /// <summary>The recurrent cell. Default <see cref="RecurrentCell.Lstm"/>.</summary>
        public RecurrentCell Cell { get; set; } = RecurrentCell.Lstm;

        /// <summary>Run a second recurrence right to left and concatenate; needs an even Width and an
        /// encoder. Default false.</summary>
        public bool Bidirectional { get; set; }
    }
}
