using System.Collections.Generic;

namespace Composer.Bench.Memory;

/// <summary>
/// A setting of glibc's malloc for a measuring process: the environment variables glibc reads when a
/// process starts (mallopt's M_MMAP_THRESHOLD, M_TRIM_THRESHOLD and M_ARENA_MAX).
/// </summary>
internal sealed record Allocator(string Name, string Description, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// Blocks of 64 KiB or more are mappings of their own, unmapped when freed, and the heap is trimmed
    /// above 1 MiB of free top: the resident set follows what live tensors hold (every activation here is
    /// far above 64 KiB).
    /// </summary>
    public static readonly Allocator Mapped = new("mapped",
        "blocks of 64 KiB or more mapped one by one and unmapped when freed (MALLOC_MMAP_THRESHOLD_=65536, MALLOC_TRIM_THRESHOLD_=1048576): the resident set follows live tensors",
        new Dictionary<string, string> { ["MALLOC_MMAP_THRESHOLD_"] = "65536", ["MALLOC_TRIM_THRESHOLD_"] = "1048576", ["MALLOC_ARENA_MAX"] = "2" });

    /// <summary>bench/run's setting for timing: no trimming, everything below 1 GiB on the heap.</summary>
    public static readonly Allocator Heap = new("heap",
        "bench/run's timing setting, everything below 1 GiB on the heap and never trimmed (MALLOC_MMAP_THRESHOLD_=1073741824, MALLOC_TRIM_THRESHOLD_=-1): freed blocks stay resident, so heap fragmentation counts too",
        new Dictionary<string, string> { ["MALLOC_MMAP_THRESHOLD_"] = "1073741824", ["MALLOC_TRIM_THRESHOLD_"] = "-1", ["MALLOC_ARENA_MAX"] = "2" });

    /// <summary>Both, the one the RESULT lines use first.</summary>
    public static readonly IReadOnlyList<Allocator> All = [Mapped, Heap];
}
