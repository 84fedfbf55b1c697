using Composer.Native;

namespace Composer.Tensors;

// Control of the default random generators (torch.manual_seed, torch.get_rng_state, torch.set_rng_state).
public static partial class Torch
{
    /// <summary>
    /// Seeds the CPU generator and the generator of every visible CUDA device (<c>torch.manual_seed</c>).
    /// After the same seed, the same draws on the CPU give the same values as PyTorch on the same libtorch.
    /// </summary>
    /// <param name="seed">Any 64-bit value; a negative seed is taken modulo 2^64, as in PyTorch.</param>
    public static void ManualSeed(long seed) => NativeMethods.Check(NativeMethods.cmp_manual_seed(unchecked((ulong)seed)));

    /// <summary>
    /// The complete state of a device's default generator as a uint8 CPU tensor (<c>torch.get_rng_state</c>,
    /// <c>torch.cuda.get_rng_state</c>), to restore later with <see cref="SetRngState"/>: a checkpoint
    /// that resumes training draws the same dropout masks it would have drawn.
    /// </summary>
    /// <param name="device"><see cref="Device.Cpu"/> or a CUDA device (an index of -1 means the current one).</param>
    public static Tensor GetRngState(Device device) =>
        Tensor.Wrap(NativeMethods.cmp_get_rng_state((int)device.Type, GeneratorIndex(device)));

    /// <summary>
    /// Restores a state captured by <see cref="GetRngState"/> on the same kind of device
    /// (<c>torch.set_rng_state</c>, <c>torch.cuda.set_rng_state</c>); later draws repeat those that
    /// followed the capture.
    /// </summary>
    /// <exception cref="TorchException">The tensor is not a state of this kind of generator (wrong dtype or size).</exception>
    public static void SetRngState(Device device, Tensor state) =>
        NativeMethods.Check(NativeMethods.cmp_set_rng_state((int)device.Type, GeneratorIndex(device), state.Handle));

    // The CPU has one generator whatever index the Device carries.
    private static int GeneratorIndex(Device device) => device.Type == DeviceType.Cpu ? -1 : device.Index;
}
