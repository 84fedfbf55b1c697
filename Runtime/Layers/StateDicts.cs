using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// Loading weights into a module with every check TorchSharp's <c>load_state_dict</c> leaves out: it
/// copies with <c>copy_</c>, so a broadcastable shape or another dtype loads silently, and a strict
/// mismatch says only "not identical". Here nothing changes unless every name, shape and dtype agrees,
/// and a mismatch lists them all.
/// </summary>
public static class StateDicts
{
    /// <summary>Copies <paramref name="state"/> into <paramref name="module"/>'s parameters and persistent buffers.</summary>
    /// <exception cref="StateDictMismatchException">Names are missing or unexpected, or shapes or dtypes differ; the message lists every one.</exception>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> state)
    {
        var own = module.state_dict();
        var mismatch = StateDictMismatchException.Compare(
            own.Select(kv => (kv.Key, kv.Value.shape, kv.Value.dtype.ToString())),
            state.Select(kv => (kv.Key, kv.Value.shape, kv.Value.dtype.ToString())));
        if (mismatch is not null) throw mismatch;
        using var noGrad = no_grad();
        foreach (var (name, tensor) in own) tensor.copy_(state[name]);
    }
}
