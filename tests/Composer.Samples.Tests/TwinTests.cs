using System.Linq;
using Composer.Models;
using Xunit;

namespace Composer.Samples.Tests;

/// <summary>The twins the reference tests run are their samples but for the sizes: every other
/// setting and every layer's mixer are the same.</summary>
public sealed class TwinTests
{
    private static readonly string[] Sizes = { "Width", "FeedForward", "Vocabulary", "SourceVocabulary", "TargetVocabulary" };

    public static TheoryData<string> Names() => new(new[]
    {
        nameof(TransformerLm), nameof(LightConvLm), nameof(DynamicConvLm), nameof(LinearTransformerLm),
        nameof(HybridLm), nameof(ConvTranslator), nameof(AttentionClassifier),
    });

    [Theory]
    [MemberData(nameof(Names))]
    public void TwinDiffersFromItsSampleOnlyInSize(string name)
    {
        var sample = Describe(typeof(TransformerLm).Namespace + "." + name, typeof(TransformerLm).Assembly);
        var twin = Describe(typeof(TwinTests).Namespace + "." + name + "Twin", typeof(TwinTests).Assembly);
        Assert.Equal(
            sample.Settings.Where(s => !Sizes.Contains(s.Key)),
            twin.Settings.Where(s => !Sizes.Contains(s.Key)));
        Assert.Equal(
            sample.Layers.Select(l => (l.Stack, l.Index, l.Mixer, l.Cost)),
            twin.Layers.Select(l => (l.Stack, l.Index, l.Mixer, l.Cost)));
    }

    private static ModelDescription Describe(string type, System.Reflection.Assembly assembly) =>
        (ModelDescription)assembly.GetType(type, throwOnError: true)!.GetProperty("Architecture")!.GetValue(null)!;
}
