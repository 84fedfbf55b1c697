using System;

namespace Composer.Mixers;

/// <summary>How a mixer's cost grows with the sequence length T.</summary>
public enum CostClass
{
    /// <summary>O(T²): every position looks at every other (softmax attention and relatives).</summary>
    Quadratic,
    /// <summary>O(T·K): a fixed window of K positions (convolutions, local attention).</summary>
    Window,
    /// <summary>O(T): constant work per position (linear attention, recurrences, projected attention).</summary>
    Linear,
    /// <summary>O(T log T): sorting positions into buckets, then a fixed chunk of keys per position (LSH attention).</summary>
    LogLinear,
}

/// <summary>Which declaration parameters a mixer needs. On a user mixer's <see cref="MixerFactsAttribute"/>
/// they decide what <c>[Mixer&lt;T&gt;]</c> must be given (Heads, Kernels, Window, the model's MaxLength),
/// what the generator checks and what it passes in <see cref="MixerContext"/>.</summary>
[Flags]
public enum MixerNeeds
{
    /// <summary>Nothing beyond the width.</summary>
    None = 0,
    /// <summary>A head count that divides the width.</summary>
    Heads = 1,
    /// <summary>A kernel width per layer.</summary>
    Kernel = 2,
    /// <summary>A maximum sequence length (position-indexed parameters).</summary>
    MaxLength = 4,
    /// <summary>A window size.</summary>
    Window = 8,
}

/// <summary>The static facts about a mixer, as data.</summary>
/// <param name="Name">A short human name for summaries ("softmax attention").</param>
/// <param name="CausalCapable">Whether it can run in a decoder (position t sees only ≤ t) and decode step by step.</param>
/// <param name="AlignmentFree">Whether it can mix two sequences of different lengths (usable as cross-attention).</param>
/// <param name="Needs">Declaration parameters it requires.</param>
/// <param name="Cost">How its cost grows with sequence length.</param>
public sealed record MixerFacts(string Name, bool CausalCapable, bool AlignmentFree, MixerNeeds Needs, CostClass Cost);

/// <summary>
/// The same facts on a mixer class, so the generator can check a user's mixer at compile time
/// (a decoder needs <see cref="CausalCapable"/>, a cross mixer <see cref="AlignmentFree"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MixerFactsAttribute : Attribute
{
    /// <summary>Whether the mixer can run causally and decode step by step.</summary>
    public bool CausalCapable { get; set; }
    /// <summary>Whether the mixer can mix sequences of different lengths.</summary>
    public bool AlignmentFree { get; set; }
    /// <summary>Declaration parameters the mixer requires.</summary>
    public MixerNeeds Needs { get; set; }
    /// <summary>How the mixer's cost grows with sequence length.</summary>
    public CostClass Cost { get; set; } = CostClass.Quadratic;
}
