using System.Collections.Generic;
using Composer.Distributed;
using Xunit;

namespace Composer.Tests.Distributed;

/// <summary>Reading the launcher's variables: a process alone, or in a job of one, never needs MPI.</summary>
public class LaunchEnvironmentTests
{
    private static LaunchEnvironment? Detect(params (string Name, string Value)[] variables)
    {
        var map = new Dictionary<string, string>();
        foreach (var (name, value) in variables) map[name] = value;
        return LaunchEnvironment.Detect(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void NoLauncherIsNoJob() => Assert.Null(Detect());

    [Fact]
    public void AJobOfOneProcessIsNoJob() => Assert.Null(Detect(("PMI_SIZE", "1"), ("PMI_RANK", "0")));

    [Fact]
    public void MpichsVariablesGiveRankSizeAndTheRanksOnThisMachine() =>
        Assert.Equal(new LaunchEnvironment(1, 4, 2), Detect(("PMI_SIZE", "4"), ("PMI_RANK", "1"), ("MPI_LOCALNRANKS", "2")));

    [Fact]
    public void WithoutALocalCountEveryRankIsOnThisMachine() =>
        Assert.Equal(new LaunchEnvironment(0, 2, 2), Detect(("PMI_SIZE", "2"), ("PMI_RANK", "0")));

    [Fact]
    public void ARankOutsideTheJobIsRefused()
    {
        var e = Assert.Throws<MpiUnavailableException>(() => Detect(("PMI_SIZE", "2"), ("PMI_RANK", "2")));
        Assert.Contains("PMI_RANK is 2", e.Message);
    }

    [Fact]
    public void OpenMpisLauncherIsRefusedWithTheFix()
    {
        var e = Assert.Throws<MpiUnavailableException>(() => Detect(("OMPI_COMM_WORLD_SIZE", "2"), ("OMPI_COMM_WORLD_RANK", "0")));
        Assert.Contains("apt-get install mpich", e.Message);
    }

    [Fact]
    public void OpenMpisLauncherWithOneProcessIsNoJob() => Assert.Null(Detect(("OMPI_COMM_WORLD_SIZE", "1")));
}
