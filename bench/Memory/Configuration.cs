using System;
using TorchSharp;

namespace Composer.Bench.Memory;

/// <summary>One measured model: its declaration's name (Models.cs), depth and whether its stack is reversible.</summary>
internal sealed record Configuration(string Name, int Depth, bool Reversible)
{
    /// <summary>A freshly initialised instance of the declared model.</summary>
    public torch.nn.Module Create() => Name switch
    {
        nameof(PlainLm3) => new PlainLm3(),
        nameof(PlainLm12) => new PlainLm12(),
        nameof(ReversibleLm3) => new ReversibleLm3(),
        nameof(ReversibleLm12) => new ReversibleLm12(),
        _ => throw new ArgumentException($"no declared model named {Name}", nameof(Name)),
    };
}
