using System;
using static TorchSharp.torch;

namespace Composer.Checkpoints;

/// <summary>
/// The default CPU random generator's state (<c>torch.get_rng_state</c>) as base64 text: restoring it
/// makes a resumed run draw the same dropout masks as an uninterrupted one.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 cannot read or set a CUDA generator's state, so a checkpoint cannot hold them.
/// Training on CUDA therefore reseeds the CUDA generators before every update from a number drawn
/// from the CPU generator (<see cref="Training.Trainer"/>): their draws are then a function of this
/// state and the update, and a resumed run continues them exactly.
/// </remarks>
/// <param name="Cpu">The CPU generator's state.</param>
public sealed record RngStates(string Cpu)
{
    /// <summary>The CPU generator's state now.</summary>
    public static RngStates Capture()
    {
        using var generator = Generator.Default;
        using var state = generator.get_state();
        return new RngStates(Convert.ToBase64String(state.bytes));
    }

    /// <summary>Puts the CPU generator back in the captured state.</summary>
    /// <exception cref="FormatException">The state is not base64.</exception>
    public void Restore()
    {
        var bytes = Convert.FromBase64String(Cpu);
        using var generator = Generator.Default;
        using var state = tensor(bytes, ScalarType.Byte);
        generator.set_state(state);
    }
}
