using System;
using TorchSharp;

namespace Composer.Tests.Harness;

/// <summary>
/// Live-tensor counts of this thread (TorchSharp's dispose-scope statistics: tensors created minus
/// tensors disposed), undisturbed by other tests' garbage.
/// </summary>
public static class LiveTensors
{
    /// <summary>Tensors created on this thread and not yet disposed.</summary>
    public static long Count => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

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
        return Count;
    }
}
