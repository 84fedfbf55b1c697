using Composer.Layers;
using Composer.Mixers;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>Contexts and inputs shared by the attention mixers' tests (tests/reference/mixers_attention.py).</summary>
internal static class AttentionTestData
{
    public const string File = "mixers_attention";
    public const int Width = 8;
    public const int Heads = 2;

    public static MixerContext Context(bool causal, double attentionDropout = 0) =>
        new(ModuleContext.Cpu, Width, Heads, Causal: causal, AttentionDropout: attentionDropout);

    /// <summary>A seeded (B, T, C) input, unscoped (the caller disposes it); <paramref name="scale"/> sharpens the scores.</summary>
    public static Tensor Sequence(long batch, long length, long seed, double scale = 1)
    {
        manual_seed(seed);
        using var scope = NewDisposeScope();
        return (randn(batch, length, Width) * scale).MoveToOuterDisposeScope();
    }

    /// <summary>Row 0 unpadded, row 1 padded on the right (2), row 2 on the left (2), unscoped.</summary>
    public static Tensor Padding(long length)
    {
        var mask = new bool[3 * length];
        for (long t = 0; t < length; t++)
        {
            mask[length + t] = t >= length - 2;
            mask[2 * length + t] = t < 2;
        }
        return tensor(mask, [3, length]);
    }
}
