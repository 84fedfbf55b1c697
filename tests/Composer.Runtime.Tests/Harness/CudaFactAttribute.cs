using TorchSharp;
using Xunit;

namespace Composer.Tests.Harness;

/// <summary>
/// A fact that needs a CUDA device; reported as skipped (not as passed) where libtorch sees no GPU,
/// so a CPU-only run says plainly what it did not check.
/// </summary>
public sealed class CudaFactAttribute : FactAttribute
{
    /// <summary>Marks the test skipped when no CUDA device is visible.</summary>
    public CudaFactAttribute()
    {
        if (!torch.cuda.is_available()) Skip = "needs a CUDA device; libtorch sees none (CPU-only build or no GPU)";
    }
}
