using System.Collections.Generic;
using Composer.Checkpoints;
using static TorchSharp.torch;

namespace Composer.Tests.Harness;

/// <summary>One case of a reference file: its stored inputs, outputs and gradients.</summary>
public sealed class ReferenceCase
{
    private readonly SafetensorsFile _data;
    private readonly string _name;
    private readonly HashSet<string> _names;
    private readonly Dictionary<string, Tensor> _inputs = new();

    internal ReferenceCase(SafetensorsFile data, string name)
    {
        _data = data;
        _name = name;
        _names = new HashSet<string>(data.Names);
        if (!_names.Contains($"{name}/out/0"))
            throw new KeyNotFoundException($"the reference file has no case '{name}'; add it to the Python script and regenerate");
    }

    /// <summary>The inputs handed out so far, by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Inputs => _inputs;

    /// <summary>The stored input (requires grad when PyTorch computed a gradient for it). The same tensor on every call.</summary>
    public Tensor Input(string name)
    {
        if (_inputs.TryGetValue(name, out var existing)) return existing;
        var key = $"{_name}/in/{name}";
        if (!_names.Contains(key))
            throw new KeyNotFoundException($"case '{_name}' has no input '{name}'");
        var tensor = _data.Get(key);
        if (_names.Contains($"{_name}/grad/{name}")) tensor.requires_grad_(true);
        _inputs[name] = tensor;
        return tensor;
    }

    /// <summary>The module weights the script registered (<c>c.module(m)</c>), by dotted name.</summary>
    public IReadOnlyDictionary<string, Tensor> Parameters()
    {
        var prefix = $"{_name}/param/";
        var result = new Dictionary<string, Tensor>();
        foreach (var key in _names)
            if (key.StartsWith(prefix, System.StringComparison.Ordinal)) result[key.Substring(prefix.Length)] = _data.Get(key);
        return result;
    }

    internal bool HasOutput(int index) => _names.Contains($"{_name}/out/{index}");

    internal Tensor? Stored(string suffix)
    {
        var key = $"{_name}/{suffix}";
        return _names.Contains(key) ? _data.Get(key) : null;
    }
}
