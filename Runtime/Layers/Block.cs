using Composer.Mixers;
using TorchSharp;

namespace Composer.Layers;

/// <summary>
/// The modules of one layer of a generated stack: a mixer sublayer and a feed-forward sublayer, each
/// with its layer norm (<c>mixer_norm</c>, <c>mixer</c>, <c>ffn_norm</c>, <c>ffn</c>). It only holds
/// them; the generated model wires the residuals (norm before or after, dropout), so the wiring a
/// declaration chose is readable in the generated code.
/// </summary>
/// <typeparam name="TMixer">The layer's mixer, kept typed so generated code calls it without casts.</typeparam>
public sealed class Block<TMixer> : torch.nn.Module where TMixer : torch.nn.Module, IMixer
{
    /// <summary>Registers the sublayers; <paramref name="mixer"/> is built by the caller with its own options.</summary>
    /// <param name="context">Device and dtype of the norms and the feed-forward.</param>
    /// <param name="width">Model channels C.</param>
    /// <param name="feedForward">Hidden width of the feed-forward.</param>
    /// <param name="activation">Activation of the feed-forward.</param>
    /// <param name="activationDropout">Dropout after the feed-forward activation.</param>
    /// <param name="mixer">The layer's mixer.</param>
    public Block(ModuleContext context, int width, int feedForward, Activation activation, double activationDropout, TMixer mixer) : base("Block")
    {
        register_module("mixer_norm", MixerNorm = new LayerNorm(context, width));
        register_module("mixer", Mixer = mixer);
        register_module("ffn_norm", FfnNorm = new LayerNorm(context, width));
        register_module("ffn", Ffn = new FeedForward(context, width, feedForward, activation, activationDropout));
    }

    /// <summary>The norm of the mixer sublayer (<c>mixer_norm</c>).</summary>
    public LayerNorm MixerNorm { get; }

    /// <summary>The mixer (<c>mixer</c>).</summary>
    public TMixer Mixer { get; }

    /// <summary>The norm of the feed-forward sublayer (<c>ffn_norm</c>).</summary>
    public LayerNorm FfnNorm { get; }

    /// <summary>The feed-forward (<c>ffn</c>).</summary>
    public FeedForward Ffn { get; }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
