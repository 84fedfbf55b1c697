using System;

namespace Composer
{
    /// <summary>
    /// Options shared by every model kind: the width of the residual stream, the feed-forward
    /// sublayer, normalisation, dropouts, positions and the maximum length. The model kinds derive
    /// from it: <see cref="LanguageModelAttribute"/>, <see cref="Seq2SeqAttribute"/> and
    /// <see cref="ClassifierAttribute"/>.
    /// </summary>
    /// <remarks>
    /// Each layer of a stack is <c>mixer → feed-forward</c>, each sublayer wrapped in a residual
    /// connection with a layer norm before (<see cref="NormPlacement.Pre"/>) or after
    /// (<see cref="NormPlacement.Post"/>) it. The mixer of each layer comes from the mixer attributes
    /// on the same class (for example <see cref="SelfAttentionAttribute"/>).
    /// </remarks>
    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public abstract class ModelAttribute : Attribute
    {
        /// <summary>Width of the residual stream (model channels, C). Required; every multi-head
        /// mixer needs it to be divisible by its number of heads.</summary>
        public int Width { get; set; }

        /// <summary>Hidden width of the feed-forward sublayer. 0 (the default) means 4 × <see cref="Width"/>.</summary>
        public int FeedForward { get; set; }

        /// <summary>Activation of the feed-forward sublayer. Default <see cref="Composer.Activation.Gelu"/>.</summary>
        public Activation Activation { get; set; } = Activation.Gelu;

        /// <summary>Where each sublayer's layer norm sits. Default <see cref="NormPlacement.Pre"/>.</summary>
        public NormPlacement Norm { get; set; } = NormPlacement.Pre;

        /// <summary>Dropout on each sublayer's output before the residual addition, and on the
        /// embeddings. In [0, 1); default 0.1.</summary>
        public double Dropout { get; set; } = 0.1;

        /// <summary>Dropout on attention weights (attention-like mixers only). In [0, 1); default 0.</summary>
        public double AttentionDropout { get; set; }

        /// <summary>Dropout after the feed-forward activation. In [0, 1); default 0.</summary>
        public double ActivationDropout { get; set; }

        /// <summary>DropConnect on convolution kernels (lightweight and dynamic convolutions). In [0, 1); default 0.</summary>
        public double WeightDropout { get; set; }

        /// <summary>Positional encoding added to the token embeddings. Default
        /// <see cref="PositionalEncoding.Sinusoidal"/>; <see cref="PositionalEncoding.Learned"/> needs
        /// <see cref="MaxLength"/>.</summary>
        public PositionalEncoding Positions { get; set; } = PositionalEncoding.Sinusoidal;

        /// <summary>Longest sequence the model accepts, in tokens. 0 (the default) leaves it open;
        /// learned positions and mixers with length-shaped parameters (Linformer, Synthesizer,
        /// constant attention) require it.</summary>
        public int MaxLength { get; set; }
    }
}
