using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using static TorchSharp.torch;

namespace Composer.Distributed;

/// <summary>
/// Makes sure every rank of a job runs the same thing before any of them trains: each rank describes
/// what it runs as an ordered list of named values (the architecture's fingerprint, every flag that
/// changes the result, a hash of each data file), rank 0 sends its list to the others, and the job
/// refuses to start — on every rank, with one line naming the first difference — unless all agree. A
/// rank that failed to prepare (a missing file, say) takes part with its error instead of a list, and
/// that error becomes the job's.
/// </summary>
public static class RankAgreement
{
    /// <summary>
    /// Compares this rank's <paramref name="manifest"/> with rank 0's, or reports <paramref name="failure"/>
    /// (this rank's preparation failed); returns when every rank agrees and none failed.
    /// </summary>
    /// <exception cref="JobRefusedException">Raised on every rank, with the message of the lowest rank that failed or differs from rank 0.</exception>
    /// <exception cref="CollectiveException">A rank did not take part in time.</exception>
    public static void Check(ICollectives collectives, IReadOnlyList<KeyValuePair<string, string>> manifest, string? failure)
    {
        ArgumentNullException.ThrowIfNull(collectives);
        ArgumentNullException.ThrowIfNull(manifest);
        int rank = collectives.Rank;
        var reference = Decode(collectives.Share(rank == 0 ? Encode(manifest) : null, 0));
        string? verdict = failure is not null
            ? $"rank {rank} of {collectives.Size}: {failure}"
            : rank == 0 ? null : FirstDifference(manifest, reference, rank);

        // Every rank learns which ranks object; the lowest one's reason becomes the job's.
        var votes = new long[collectives.Size];
        if (verdict is not null) votes[rank] = 1;
        using (var objections = tensor(votes))
        {
            collectives.AllReduceSum([objections]);
            votes = objections.data<long>().ToArray();
        }
        int first = Array.FindIndex(votes, v => v != 0);
        if (first < 0) return;
        throw new JobRefusedException(collectives.Share(rank == first ? verdict : null, first));
    }

    /// <summary>The first entry where <paramref name="mine"/> differs from rank 0's list, as one line; null when they agree.</summary>
    public static string? FirstDifference(IReadOnlyList<KeyValuePair<string, string>> mine, IReadOnlyList<KeyValuePair<string, string>> rootList, int rank)
    {
        var root = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in rootList) root.TryAdd(key, value);
        var own = new HashSet<string>(StringComparer.Ordinal);
        const string fix = "start every rank with the same executable, command line and data";
        foreach (var (key, value) in mine)
        {
            own.Add(key);
            if (!root.TryGetValue(key, out var expected))
                return $"rank {rank} was started differently from rank 0: it has {key} = {value}, which rank 0 lacks; {fix}";
            if (!string.Equals(value, expected, StringComparison.Ordinal))
                return $"rank {rank} was started differently from rank 0: {key} is {value} on rank {rank} but {expected} on rank 0; {fix}";
        }
        foreach (var (key, value) in rootList)
            if (!own.Contains(key))
                return $"rank {rank} was started differently from rank 0: rank 0 has {key} = {value}, which rank {rank} lacks; {fix}";
        return null;
    }

    private static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> manifest)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(manifest.Count);
            foreach (var (key, value) in manifest)
            {
                writer.Write(key);
                writer.Write(value);
            }
        }
        return stream.ToArray();
    }

    private static List<KeyValuePair<string, string>> Decode(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
        int count = reader.ReadInt32();
        var list = new List<KeyValuePair<string, string>>(count);
        for (int i = 0; i < count; i++) list.Add(new(reader.ReadString(), reader.ReadString()));
        return list;
    }
}
