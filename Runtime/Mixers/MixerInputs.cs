using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>What one mixer received in a recorded forward pass.</summary>
/// <param name="Mixer">The mixer module.</param>
/// <param name="Input">Its input x (B, T, C), or the query of a cross-mixer.</param>
/// <param name="Memory">A cross-mixer's memory (B, S, C); null for self-mixers.</param>
/// <param name="Padding">The padding mask it got (of the memory for a cross-mixer), or null.</param>
public sealed record MixerCall(nn.Module Mixer, Tensor Input, Tensor? Memory, Tensor? Padding);

/// <summary>
/// Records the inputs of Composer's mixers during a forward pass on this thread, so that what each mixer
/// did can be recomputed afterwards (<see cref="IMixingWeights"/>) without the generated model exposing its
/// intermediate activations. Outside a recording, a mixer's check is one thread-static read.
/// </summary>
public sealed class MixerInputs : IDisposable
{
    [ThreadStatic] private static MixerInputs? _active;
    private readonly List<MixerCall> _calls = [];
    private readonly MixerInputs? _outer;

    private MixerInputs()
    {
        _outer = _active;
        _active = this;
    }

    /// <summary>Starts recording on this thread until the returned object is disposed.</summary>
    public static MixerInputs Record() => new();

    /// <summary>The calls recorded so far, in order.</summary>
    public IReadOnlyList<MixerCall> Calls => _calls;

    /// <summary>Called by a self-mixer's forward.</summary>
    internal static void Offer(nn.Module mixer, Tensor x, Tensor? padding) => _active?._calls.Add(new MixerCall(mixer, x, null, padding));

    /// <summary>Called by a cross-mixer's forward.</summary>
    internal static void Offer(nn.Module mixer, Tensor query, Tensor memory, Tensor? memoryPadding) =>
        _active?._calls.Add(new MixerCall(mixer, query, memory, memoryPadding));

    /// <summary>Stops recording.</summary>
    public void Dispose() => _active = _outer;
}
