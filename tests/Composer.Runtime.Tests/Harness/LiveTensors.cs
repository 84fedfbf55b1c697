using System;
using Composer.Tensors;

namespace Composer.Tests.Harness;

/// <summary>Live-tensor counts that other tests' garbage cannot disturb.</summary>
public static class LiveTensors
{
    /// <summary>
    /// The live-tensor count after the garbage collector has released every unreachable unscoped
    /// tensor. Taking a baseline this way keeps a finalizer that runs later (for a tensor some earlier
    /// test dropped) from changing the count in the middle of the test that is measuring it.
    /// </summary>
    public static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Torch.LiveTensors;
    }
}
