using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// What a reversible stack needs to run a sublayer a second time with the same random draws (dropout
/// masks, MIXERS.md §9: "reversible layers require the dropout RNG to be replayed exactly"): the CPU
/// generator's state before each sublayer, and on CUDA, whose generator state TorchSharp 0.107 can neither
/// read nor set, a seed drawn from the CPU generator and given to the CUDA generators before the sublayer.
/// </summary>
internal sealed class RandomReplay
{
    private readonly byte[][] _cpu;
    private readonly long[]? _cuda;

    public RandomReplay(int sublayers, Device device)
    {
        _cpu = new byte[sublayers][];
        _cuda = device.type == DeviceType.CUDA ? new long[sublayers] : null;
    }

    /// <summary>Records the generators' state before sublayer <paramref name="k"/> runs the first time.</summary>
    public void Before(int k)
    {
        _cpu[k] = CpuState();
        if (_cuda is null) return;
        using var draw = randint(0, long.MaxValue, [1], ScalarType.Int64);
        _cuda[k] = draw.item<long>();
        cuda.manual_seed_all(_cuda[k]);
    }

    /// <summary>Puts the generators back as they were before sublayer <paramref name="k"/> first ran.</summary>
    public void Replay(int k)
    {
        SetCpuState(_cpu[k] ?? throw new InvalidOperationException($"sublayer {k} has not run yet, so there is nothing to replay"));
        if (_cuda is not null) cuda.manual_seed_all(_cuda[k]);
    }

    /// <summary>The CPU generator's state, to be put back with <see cref="SetCpuState"/>.</summary>
    public static byte[] CpuState()
    {
        using var generator = Generator.Default;
        using var state = generator.get_state();
        return state.bytes.ToArray();
    }

    /// <summary>Puts the CPU generator in a state <see cref="CpuState"/> returned.</summary>
    public static void SetCpuState(byte[] bytes)
    {
        using var generator = Generator.Default;
        using var state = tensor(bytes, ScalarType.Byte);
        generator.set_state(state);
    }
}
