using Composer.Mixers;
using TorchSharp;

namespace Composer.Layers;

/// <summary>
/// The modules of one decoder layer of an encoder–decoder model: self mixer, cross mixer (attending to
/// the encoder output) and feed-forward, each with its layer norm (<c>mixer_norm</c>, <c>mixer</c>,
/// <c>cross_norm</c>, <c>cross</c>, <c>ffn_norm</c>, <c>ffn</c>). Like <see cref="Block{TMixer}"/> it only
/// holds them; the generated model wires the residuals.
/// </summary>
/// <typeparam name="TMixer">The layer's self mixer.</typeparam>
/// <typeparam name="TCross">The layer's cross mixer.</typeparam>
public sealed class CrossBlock<TMixer, TCross> : torch.nn.Module
    where TMixer : torch.nn.Module, IMixer
    where TCross : torch.nn.Module, ICrossMixer
{
    /// <summary>Registers the sublayers; the mixers are built by the caller with their own options.</summary>
    /// <param name="context">Device and dtype of the norms and the feed-forward.</param>
    /// <param name="width">Model channels C.</param>
    /// <param name="feedForward">Hidden width of the feed-forward.</param>
    /// <param name="activation">Activation of the feed-forward.</param>
    /// <param name="activationDropout">Dropout after the feed-forward activation.</param>
    /// <param name="mixer">The self mixer.</param>
    /// <param name="cross">The cross mixer.</param>
    public CrossBlock(ModuleContext context, int width, int feedForward, Activation activation, double activationDropout, TMixer mixer, TCross cross) : base("CrossBlock")
    {
        register_module("mixer_norm", MixerNorm = new LayerNorm(context, width));
        register_module("mixer", Mixer = mixer);
        register_module("cross_norm", CrossNorm = new LayerNorm(context, width));
        register_module("cross", Cross = cross);
        register_module("ffn_norm", FfnNorm = new LayerNorm(context, width));
        register_module("ffn", Ffn = new FeedForward(context, width, feedForward, activation, activationDropout));
    }

    /// <summary>The norm of the self-mixer sublayer (<c>mixer_norm</c>).</summary>
    public LayerNorm MixerNorm { get; }

    /// <summary>The self mixer (<c>mixer</c>).</summary>
    public TMixer Mixer { get; }

    /// <summary>The norm of the cross-mixer sublayer (<c>cross_norm</c>).</summary>
    public LayerNorm CrossNorm { get; }

    /// <summary>The cross mixer (<c>cross</c>).</summary>
    public TCross Cross { get; }

    /// <summary>The norm of the feed-forward sublayer (<c>ffn_norm</c>).</summary>
    public LayerNorm FfnNorm { get; }

    /// <summary>The feed-forward (<c>ffn</c>).</summary>
    public FeedForward Ffn { get; }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
