using System;

namespace Composer.Bench.Training;

/// <summary>The benchmark's fixed settings: the trainer's defaults, the threads, and the decoding measurement.</summary>
internal static class Settings
{
    /// <summary>Default torch threads of the C# sides (both in this process): the machine's two cores.</summary>
    public const int Threads = 2;
    public const int DecodeTokens = 256, Vocabulary = 256;
    public const string DecodeSize = "b";
    public const double LearningRate = 1e-3, Beta1 = 0.9, Beta2 = 0.98, Eps = 1e-8, WeightDecay = 0.01;
    public const double ClipNorm = 1.0, LabelSmoothing = 0.1, ResidualDropout = 0.1;

    /// <summary>Relative difference allowed between two sides' evaluation losses on the same weights and batch.</summary>
    public const double LossTolerance = 1e-4;

    /// <summary>
    /// Greedy decoding may part from PyTorch's at a step whose two best logits differ by less than this
    /// fraction of the largest logit (rounding of another libtorch build can break such a tie the other way).
    /// </summary>
    public const double NearTie = 1e-4;

    /// <summary>Whether two sides computed the same evaluation loss.</summary>
    public static bool SameLoss(double a, double b) => Math.Abs(a - b) <= LossTolerance * Math.Abs(b);
}

/// <summary>A benchmark configuration (size): the model's width, heads and per-layer kernels, and the batch shape.</summary>
internal sealed record Config(string Name, int Width, int Heads, int[] Kernels, int Batch, int Length, int UpdatesPerRound)
{
    /// <summary>Tokens one update processes, B × T.</summary>
    public long TokensPerUpdate => (long)Batch * Length;
}

/// <summary>One architecture at one size: its mixer as the PyTorch side names it, and whether the output is tied.</summary>
internal sealed record Subject(string Model, string Mixer, bool Tied, string Size)
{
    public string Id => Model + "-" + Size;
}
