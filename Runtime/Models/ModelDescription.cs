using System.Collections.Generic;

namespace Composer.Models;

/// <summary>
/// What a generated model says about itself, all known at compile time: its declaration's settings
/// (stored in checkpoints so a run can be rebuilt), an architecture fingerprint (a hash of those
/// settings; checkpoints of another architecture are refused), and derived constants.
/// </summary>
/// <param name="Name">The declared class name, e.g. "LightConvLm".</param>
/// <param name="Kind">Language model, seq2seq or classifier.</param>
/// <param name="Settings">Every setting of the declaration as invariant text, in a fixed order.</param>
/// <param name="Fingerprint">A stable hash of <paramref name="Settings"/> (hex).</param>
/// <param name="ParameterCount">Number of trainable scalars.</param>
/// <param name="MaxLength">The declared maximum sequence length, or 0 when none was declared.</param>
/// <param name="Layers">One line per layer for summaries: stack, index, mixer, receptive field so far.</param>
public sealed record ModelDescription(
    string Name,
    ModelKind Kind,
    IReadOnlyList<KeyValuePair<string, string>> Settings,
    string Fingerprint,
    long ParameterCount,
    int MaxLength,
    IReadOnlyList<LayerDescription> Layers);

/// <summary>One layer as the summary shows it.</summary>
/// <param name="Stack">"decoder", "encoder" or "layers".</param>
/// <param name="Index">Position in the stack.</param>
/// <param name="Mixer">The mixer and its key options, e.g. "LightweightConvolution(K=31, H=16)".</param>
/// <param name="Cost">Its cost class, e.g. "O(T·K)".</param>
/// <param name="ParameterCount">Trainable scalars of the whole layer.</param>
public sealed record LayerDescription(string Stack, int Index, string Mixer, string Cost, long ParameterCount);
