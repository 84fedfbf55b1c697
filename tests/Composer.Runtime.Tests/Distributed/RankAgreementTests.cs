using System.Collections.Generic;
using Composer.Distributed;
using Xunit;

namespace Composer.Tests.Distributed;

/// <summary>The one line a job refuses with when its ranks were started differently.</summary>
public class RankAgreementTests
{
    private static List<KeyValuePair<string, string>> Manifest(params (string Key, string Value)[] entries)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in entries) list.Add(new(key, value));
        return list;
    }

    [Fact]
    public void TheSameManifestAgrees() =>
        Assert.Null(RankAgreement.FirstDifference(Manifest(("the model", "A"), ("--lr", "0.001")), Manifest(("the model", "A"), ("--lr", "0.001")), 1));

    [Fact]
    public void TheFirstDifferingValueIsNamed()
    {
        string? line = RankAgreement.FirstDifference(
            Manifest(("the model", "A (fingerprint 1)"), ("--lr", "0.002"), ("--steps", "9")),
            Manifest(("the model", "A (fingerprint 1)"), ("--lr", "0.001"), ("--steps", "10")), 3);
        Assert.Equal("rank 3 was started differently from rank 0: --lr is 0.002 on rank 3 but 0.001 on rank 0; start every rank with the same executable, command line and data", line);
    }

    [Fact]
    public void AnEntryOnlyOneSideHasIsNamed()
    {
        Assert.Contains("it has --extra = 1, which rank 0 lacks", RankAgreement.FirstDifference(Manifest(("--extra", "1")), Manifest(), 1));
        Assert.Contains("rank 0 has --extra = 1, which rank 2 lacks", RankAgreement.FirstDifference(Manifest(), Manifest(("--extra", "1")), 2));
    }

    [Fact]
    public void ARankThatFailedToPrepareRefusesTheJobWithItsError()
    {
        var e = Assert.Throws<JobRefusedException>(() => RankAgreement.Check(new TwinRanks(size: 1), Manifest(), "the data file is missing"));
        Assert.Equal("rank 0 of 1: the data file is missing", e.Message);
    }

    [Fact]
    public void AnAgreeingJobOfOneStarts() => RankAgreement.Check(new TwinRanks(size: 1), Manifest(("the model", "A")), null);
}
