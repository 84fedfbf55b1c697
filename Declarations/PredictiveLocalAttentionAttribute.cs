using System;

namespace Composer
{
    /// <summary>
    /// Predictive local attention (MIXERS.md §1, Luong's "local-p"): each position predicts, per head, the
    /// centre p of a window of ±<see cref="Window"/> keys, attends to them with softmax, and weights the
    /// result by a Gaussian exp(−(s − p)²/(2σ²)) around the centre, σ = Window / 2. In an encoder the
    /// centre may fall anywhere in the sequence; in a decoder it lies within the <see cref="Window"/>
    /// positions before the query, so the window never reaches the future and decoding keeps the last
    /// 2 × <see cref="Window"/> positions.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class PredictiveLocalAttentionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;

        /// <summary>Half-width D of the window around the predicted centre. Required.</summary>
        public int Window { get; set; }
    }
}
