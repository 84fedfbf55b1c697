using Xunit;

// Live-tensor counts are process-wide; tests that assert them must not overlap with others.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
