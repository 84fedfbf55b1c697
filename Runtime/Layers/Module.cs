using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Tensors;

namespace Composer.Layers;

/// <summary>
/// A building block with parameters, like <c>torch.nn.Module</c>, minus the reflection: parameters,
/// buffers and children are registered explicitly by name, so the dotted names of
/// <see cref="NamedParameters"/> (<c>layers.3.mixer.weight</c>) are a compile-time contract.
/// </summary>
/// <remarks>
/// Modules are built on their final device (see <see cref="ModuleContext"/>), so there is no <c>to()</c>
/// that would have to swap tensors under the fields holding them. Parameters and buffers are owned by
/// the module (never by a <see cref="TensorScope"/>) and released by <see cref="Dispose"/>.
/// </remarks>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private bool _disposed;

    /// <summary>True in training mode (dropout active), false in evaluation mode.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a trainable parameter: takes ownership of <paramref name="initial"/> and makes it require grad.</summary>
    protected Tensor RegisterParameter(string name, Tensor initial)
    {
        CheckName(name);
        initial.Persist();
        initial.RequiresGrad_(true);
        _parameters.Add((name, initial));
        return initial;
    }

    /// <summary>Registers a non-trainable tensor that is part of the state (saved and loaded with the weights).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        CheckName(name);
        value.Persist();
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module under <paramref name="name"/>; its names get the prefix <c>name.</c>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"'{name}' is not a valid parameter or module name: use a non-empty name without dots (the dots join the path).", nameof(name));
        if (_parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"'{name}' is registered twice in {GetType().Name}.", nameof(name));
    }

    /// <summary>Every trainable parameter with its dotted name, depth first in registration order.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters(string prefix = "")
    {
        foreach (var (name, tensor) in _parameters) yield return (prefix + name, tensor);
        foreach (var (name, child) in _children)
            foreach (var p in child.NamedParameters(prefix + name + ".")) yield return p;
    }

    /// <summary>Every trainable parameter.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    /// <summary>Parameters and buffers with their dotted names: what a checkpoint stores (<c>state_dict</c>).</summary>
    public IEnumerable<(string Name, Tensor Tensor)> StateDict(string prefix = "")
    {
        foreach (var (name, tensor) in _parameters) yield return (prefix + name, tensor);
        foreach (var (name, tensor) in _buffers) yield return (prefix + name, tensor);
        foreach (var (name, child) in _children)
            foreach (var p in child.StateDict(prefix + name + ".")) yield return p;
    }

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.Numel);

    /// <summary>
    /// Copies <paramref name="state"/> into this module's parameters and buffers (<c>load_state_dict</c>,
    /// strict). Nothing is changed unless every name matches with the same shape.
    /// </summary>
    /// <exception cref="StateDictMismatchException">Names are missing, unexpected or mis-shaped; the message lists them all.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var own = StateDict().ToList();
        var mismatch = StateDictMismatchException.Compare(own.Select(p => (p.Name, p.Tensor.Shape)), state.Select(kv => (kv.Key, kv.Value.Shape)));
        if (mismatch is not null) throw mismatch;
        using var noGrad = Torch.NoGrad();
        foreach (var (name, tensor) in own) tensor.CopyInPlace(state[name]);
    }

    /// <summary>Switches this module and every child to training mode (dropout on).</summary>
    public void Train(bool on = true)
    {
        Training = on;
        foreach (var (_, child) in _children) child.Train(on);
    }

    /// <summary>Switches this module and every child to evaluation mode (dropout off).</summary>
    public void Eval() => Train(false);

    /// <summary>Releases every parameter and buffer of this module and its children.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, child) in _children) child.Dispose();
        foreach (var (_, t) in _parameters) t.Dispose();
        foreach (var (_, t) in _buffers) t.Dispose();
        DisposeExtra();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases tensors a module owns outside its parameters and buffers (caches).</summary>
    protected virtual void DisposeExtra() { }
}
