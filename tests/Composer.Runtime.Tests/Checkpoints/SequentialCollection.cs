using Xunit;

namespace Composer.Tests.Checkpoints;

/// <summary>
/// Tests that compare <c>Torch.LiveTensors</c> before and after (a process-wide count) run in this
/// collection, which xunit runs on its own, after every parallel collection, so no other test's
/// tensors can move the count mid-test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    /// <summary>The collection's name, for <c>[Collection(SequentialCollection.Name)]</c>.</summary>
    public const string Name = "Checkpoints: live-tensor counts";
}
