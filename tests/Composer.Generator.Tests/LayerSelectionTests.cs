using System.Linq;
using Composer.Generator.Validation;
using Xunit;

namespace Composer.Generator.Tests
{
    /// <summary>The Layers grammar, on its own (depth 6 unless stated).</summary>
    public sealed class LayerSelectionTests
    {
        [Theory]
        [InlineData("2", "2")]
        [InlineData("0..4", "0,1,2,3")]
        [InlineData("4..", "4,5")]
        [InlineData("..2", "0,1")]
        [InlineData("..", "0,1,2,3,4,5")]
        [InlineData("^1", "5")]
        [InlineData("^2..", "4,5")]
        [InlineData("..^4", "0,1")]
        [InlineData("1..^1", "1,2,3,4")]
        [InlineData("0,2,4", "0,2,4")]
        [InlineData(" 0 .. 2 , 5 ", "0,1,5")]
        [InlineData("^ 1", "5")]
        public void Selects(string text, string layers)
        {
            Assert.Null(LayerSelection.Parse(text, out var items));
            Assert.Null(LayerSelection.Resolve(items, 6, out var resolved));
            Assert.Equal(layers, string.Join(",", resolved));
        }

        [Theory]
        [InlineData("", "it is empty; leave Layers unset to select every layer")]
        [InlineData("0,,2", "an item between commas is empty")]
        [InlineData("0,", "an item between commas is empty")]
        [InlineData("0-2", "'0-2' is not a layer index (write 3, or ^1 for the last layer)")]
        [InlineData("-1", "'-1' is not a layer index (write 3, or ^1 for the last layer)")]
        [InlineData("0..2..4", "'0..2..4' has more than one '..'")]
        [InlineData("99999999999", "'99999999999' is not a layer index (write 3, or ^1 for the last layer)")]
        [InlineData("^", "'^' is not a layer index (write 3, or ^1 for the last layer)")]
        public void RejectsMalformedText(string text, string problem)
        {
            Assert.Equal(problem, LayerSelection.Parse(text, out _));
        }

        [Theory]
        [InlineData("6", "there is no layer 6 (they are 0 to 5)")]
        [InlineData("^0", "^0 is past the last layer (^1 is the last one)")]
        [InlineData("^7", "^7 is before layer 0")]
        [InlineData("4..8", "the range '4..8' runs past the last layer")]
        [InlineData("^8..", "the range '^8..' starts before layer 0")]
        [InlineData("^1..3", "the range '^1..3' is empty")]
        [InlineData("3..1", "the range '3..1' is empty")]
        [InlineData("2..2", "the range '2..2' is empty")]
        [InlineData("^1..^2", "the range '^1..^2' is empty")]
        [InlineData("^0..", "the range '^0..' is empty")]
        [InlineData("0..3, 2", "layer 2 is selected twice")]
        public void RejectsWhatDoesNotFitTheDepth(string text, string problem)
        {
            Assert.Null(LayerSelection.Parse(text, out var items));
            Assert.Equal(problem, LayerSelection.Resolve(items, 6, out _));
        }

        [Theory]
        [InlineData(new[] { 2 }, "2")]
        [InlineData(new[] { 0, 1, 2, 3 }, "0..4")]
        [InlineData(new[] { 0, 1, 3, 5, 6 }, "0..2, 3, 5..7")]
        public void FormatsLayersAsPasteableText(int[] layers, string text)
        {
            Assert.Equal(text, LayerSelection.Format(layers));
            Assert.Null(LayerSelection.Parse(text, out var items));
            Assert.Null(LayerSelection.Resolve(items, 8, out var resolved));
            Assert.Equal(layers, resolved.ToArray());
        }
    }
}
