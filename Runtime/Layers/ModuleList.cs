using System.Collections.Generic;
using System.Globalization;

namespace Composer.Layers;

/// <summary>
/// Children named by their position, <c>0</c>, <c>1</c>, … like <c>torch.nn.ModuleList</c>, so a stack's
/// layers get the dotted names <c>layers.3.mixer.weight</c>. The children may have different types
/// (a layer per mixer); callers keep the typed reference <see cref="Add{T}"/> returns.
/// </summary>
public sealed class ModuleList : Module
{
    private readonly List<Module> _modules = [];

    /// <summary>Number of children.</summary>
    public int Count => _modules.Count;

    /// <summary>The child at <paramref name="index"/>.</summary>
    public Module this[int index] => _modules[index];

    /// <summary>Registers <paramref name="module"/> under the next index and returns it.</summary>
    public T Add<T>(T module) where T : Module
    {
        RegisterModule(_modules.Count.ToString(CultureInfo.InvariantCulture), module);
        _modules.Add(module);
        return module;
    }
}
