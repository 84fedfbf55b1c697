using System;
using System.Threading;

namespace Composer.Tensors;

/// <summary>
/// Owns every tensor created on this thread while it is the innermost open scope, and releases them
/// all when disposed. Results leave a scope explicitly through <see cref="Escape"/>.
/// </summary>
/// <remarks>
/// This is how Composer keeps native memory deterministic: temporaries of a forward pass or a training
/// step die with the step's scope, not whenever the garbage collector gets round to them. Generated
/// code and the training loop open the scopes; user code rarely needs to. Scopes nest per thread and
/// must be disposed innermost first (a <c>using</c> does that).
/// </remarks>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;

    private readonly TensorScope? _parent;
    private readonly Thread _thread;
    private Tensor?[] _owned = new Tensor?[32];
    private int _count;
    private bool _disposed;

    /// <summary>Opens a scope on the current thread; it becomes the owner of tensors created from now on.</summary>
    public TensorScope()
    {
        _parent = t_current;
        _thread = Thread.CurrentThread;
        t_current = this;
    }

    /// <summary>The innermost open scope on this thread, or null.</summary>
    internal static TensorScope? Current => t_current;

    /// <summary>How many live tensors this scope currently owns.</summary>
    public int Count
    {
        get
        {
            int live = 0;
            for (int i = 0; i < _count; i++) if (_owned[i] is not null) live++;
            return live;
        }
    }

    internal void Adopt(Tensor tensor)
    {
        if (_count == _owned.Length) Grow();
        tensor.Owner = this;
        tensor.Slot = _count;
        _owned[_count++] = tensor;
    }

    internal void Forget(int slot)
    {
        _owned[slot] = null;
        // Tensors are mostly released in creation order's reverse; trimming keeps a loop that
        // disposes each result from growing the list.
        while (_count > 0 && _owned[_count - 1] is null) _count--;
    }

    private void Grow()
    {
        // Compact first: released slots in the middle are reusable.
        int write = 0;
        for (int read = 0; read < _count; read++)
        {
            var t = _owned[read];
            if (t is null) continue;
            t.Slot = write;
            _owned[write++] = t;
        }
        _count = write;
        if (_count > _owned.Length / 2) Array.Resize(ref _owned, _owned.Length * 2);
    }

    /// <summary>
    /// Moves <paramref name="tensor"/> out of this scope into the enclosing one (or, for the outermost
    /// scope, to the caller, who then disposes it). Returns the same tensor for chaining.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor is not owned by this scope.</exception>
    public Tensor Escape(Tensor tensor)
    {
        if (!ReferenceEquals(tensor.Owner, this))
            throw new InvalidOperationException("This tensor is not owned by this scope, so it cannot escape from it. Escape a tensor from the scope that created it (the innermost scope open when it was made).");
        Forget(tensor.Slot);
        tensor.Owner = null;
        if (_parent is not null) _parent.Adopt(tensor);
        else tensor.AttachFinalizer();
        return tensor;
    }

    /// <summary>
    /// Releases every tensor this scope still owns and makes the enclosing scope current again. Inner
    /// scopes that were left open are disposed first, so nothing they own leaks.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        if (Thread.CurrentThread == _thread && IsOpenAncestorOfCurrent())
        {
            while (t_current is not null && t_current != this) t_current.Dispose();
        }
        _disposed = true;
        for (int i = _count - 1; i >= 0; i--)
        {
            var t = _owned[i];
            if (t is null) continue;
            t.Owner = null; // so Dispose does not call back into Forget
            t.Dispose();
        }
        _count = 0;
        _owned = Array.Empty<Tensor?>();
        if (Thread.CurrentThread == _thread && t_current == this) t_current = _parent;
    }

    private bool IsOpenAncestorOfCurrent()
    {
        for (var scope = t_current; scope is not null; scope = scope._parent)
            if (scope == this) return true;
        return false;
    }
}
