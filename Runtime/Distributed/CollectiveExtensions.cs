using System;
using System.Text;
using static TorchSharp.torch;

namespace Composer.Distributed;

/// <summary>Small conveniences built from <see cref="ICollectives"/>' broadcast: bytes and text sent from one rank to all.</summary>
public static class CollectiveExtensions
{
    /// <summary>
    /// <paramref name="root"/>'s <paramref name="data"/> on every rank (other ranks pass null): its length
    /// first, then its bytes.
    /// </summary>
    /// <exception cref="ArgumentNullException">This rank is the root and gave no data.</exception>
    public static byte[] Share(this ICollectives collectives, byte[]? data, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(collectives);
        bool sending = collectives.Rank == root;
        if (sending) ArgumentNullException.ThrowIfNull(data);
        using var length = tensor(new[] { sending ? data!.LongLength : 0L });
        collectives.Broadcast(length, root);
        using var bytes = sending ? tensor(data!, ScalarType.Byte) : zeros(length.item<long>(), ScalarType.Byte);
        collectives.Broadcast(bytes, root);
        return bytes.bytes.ToArray();
    }

    /// <summary><paramref name="root"/>'s <paramref name="text"/> on every rank (other ranks pass null).</summary>
    public static string Share(this ICollectives collectives, string? text, int root = 0) =>
        Encoding.UTF8.GetString(collectives.Share(text is null ? null : Encoding.UTF8.GetBytes(text), root));
}
