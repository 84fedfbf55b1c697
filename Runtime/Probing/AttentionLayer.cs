using System.Collections.Generic;
using System.Linq;
using Composer.Mixers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Probing;

/// <summary>A softmax self-attention layer of a model, by its dotted name (<c>layers.3.mixer</c>, <c>decoder.layers.0.mixer</c>).</summary>
/// <param name="Index">Its position among the model's attention layers, in registration order.</param>
/// <param name="Name">The dotted name of the mixer: the prefix of its weights.</param>
/// <param name="Attention">The mixer.</param>
public sealed record AttentionLayer(int Index, string Name, SelfAttention Attention)
{
    /// <summary>Heads H of the layer.</summary>
    public int Heads => Attention.Heads;

    /// <summary>Every softmax self-attention of <paramref name="model"/>, in registration order (cross-attention is another mixer and not listed).</summary>
    public static IReadOnlyList<AttentionLayer> Find(nn.Module model) =>
        model.named_modules().Where(m => m.module is SelfAttention).Select((m, i) => new AttentionLayer(i, m.name, (SelfAttention)m.module)).ToArray();
}

/// <summary>One head of one attention layer.</summary>
/// <param name="Layer">The layer's <see cref="AttentionLayer.Index"/>.</param>
/// <param name="LayerName">The layer's dotted name.</param>
/// <param name="Head">The head, 0 to H − 1.</param>
public readonly record struct AttentionHead(int Layer, string LayerName, int Head);
