namespace Composer.Tensors;

/// <summary>
/// How a loss combines its per-element values (the <c>reduction</c> argument of PyTorch's losses).
/// Values are libtorch's <c>at::Reduction</c> codes.
/// </summary>
public enum Reduction
{
    /// <summary>No reduction: one loss per element (<c>"none"</c>).</summary>
    None = 0,
    /// <summary>The (weighted) mean over the elements that count (<c>"mean"</c>, the default).</summary>
    Mean = 1,
    /// <summary>The sum over the elements (<c>"sum"</c>).</summary>
    Sum = 2,
}
