using System;
using System.IO;

namespace Composer.Tests.Data;

/// <summary>A temporary folder for data files, deleted when disposed.</summary>
public sealed class TempFiles : IDisposable
{
    /// <summary>The folder.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("composer-data-").FullName;

    /// <summary>Writes <paramref name="bytes"/> to a file called <paramref name="name"/> and returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes UTF-8 <paramref name="text"/> (no byte-order mark).</summary>
    public string Write(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A path in the folder that does not exist.</summary>
    public string Missing(string name) => Path.Combine(Folder, name);

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
