using System;
using System.Text;
using Composer.Data;
using Xunit;

namespace Composer.Tests.Data;

/// <summary>Byte-level tokenization: ids are UTF-8 bytes, specials never collide with text, invalid UTF-8 is reported with its offset.</summary>
public class ByteTokenizerTests
{
    [Theory]
    [InlineData("hello, world")]
    [InlineData("naïve café — Ünïcödé")]
    [InlineData("中文字符和日本語")]
    [InlineData("emoji 🙂🚀 and tabs\tand\nnewlines")]
    [InlineData("")]
    public void RoundTripsText(string text)
    {
        var ids = ByteTokenizer.Instance.Encode(text);
        Assert.Equal(Encoding.UTF8.GetBytes(text), Array.ConvertAll(ids, i => (byte)i));
        Assert.Equal(text, ByteTokenizer.Instance.Decode(Array.ConvertAll(ids, i => (long)i)));
        Assert.All(ids, id => Assert.False(SpecialTokens.IsSpecial(id)));
    }

    [Fact]
    public void NonAsciiIsSeveralBytes()
    {
        Assert.Equal(new[] { 0xC3, 0xA9 }, ByteTokenizer.Instance.Encode("é"));
        Assert.Equal(new[] { 0xF0, 0x9F, 0x99, 0x82 }, ByteTokenizer.Instance.Encode("🙂"));
    }

    [Fact]
    public void SpecialsAreTheBytesUtf8NeverUses()
    {
        Assert.Equal(256, ByteTokenizer.Instance.Vocabulary);
        Assert.Equal(new[] { 0xFD, 0xFE, 0xFF }, new[] { SpecialTokens.Pad, SpecialTokens.Bos, SpecialTokens.Eos });
        foreach (int special in new[] { SpecialTokens.Pad, SpecialTokens.Bos, SpecialTokens.Eos })
            Assert.Equal(1, Utf8CheckFindInvalid(new[] { (byte)'a', (byte)special }));
        Assert.Equal("<bos>héllo<eos><pad>", ByteTokenizer.Instance.Decode([SpecialTokens.Bos, 'h', 0xC3, 0xA9, 'l', 'l', 'o', SpecialTokens.Eos, SpecialTokens.Pad]));
    }

    [Fact]
    public void DecodeShowsBrokenGeneratedBytesAsReplacementCharacters()
    {
        Assert.Equal("a\uFFFDb", ByteTokenizer.Instance.Decode(['a', 0xC3, 'b']));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ByteTokenizer.Instance.Decode([300]));
        Assert.Contains("token id 300 is not a byte", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x62, 0xFF, 0x63 }, 2, 0xFF)]          // a byte UTF-8 never uses
    [InlineData(new byte[] { 0x61, 0xC3 }, 1, 0xC3)]                      // truncated at the end
    [InlineData(new byte[] { 0x61, 0xC3, 0x28 }, 1, 0xC3)]                // lead byte without continuation
    [InlineData(new byte[] { 0xC0, 0x80 }, 0, 0xC0)]                      // overlong NUL
    [InlineData(new byte[] { 0x61, 0xED, 0xA0, 0x80 }, 1, 0xED)]          // UTF-16 surrogate
    [InlineData(new byte[] { 0xE2, 0x82, 0xAC, 0x80 }, 3, 0x80)]          // stray continuation after €
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, 0, 0xF4)]          // above U+10FFFF
    public void InvalidUtf8IsReportedWithItsOffset(byte[] bytes, int offset, int value)
    {
        var e = Assert.Throws<DataException>(() => ByteTokenizer.EncodeUtf8(bytes, "input.txt", offset: 1000));
        Assert.Equal($"input.txt: invalid UTF-8 at byte offset {1000 + offset} (byte 0x{value:X2})", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x62 }, 2)]
    [InlineData(new byte[] { 0x61, 0xC3 }, 1)]
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 }, 1)]
    [InlineData(new byte[] { 0x61, 0xE2, 0x82, 0xAC }, 4)]
    [InlineData(new byte[] { 0x61, 0xF0, 0x9F, 0x99 }, 1)]
    [InlineData(new byte[] { 0xF0, 0x9F, 0x99, 0x82 }, 4)]
    public void ChunksAreCutBeforeAnIncompleteCharacter(byte[] chunk, int cut) =>
        Assert.Equal(cut, Composer.Data.Utf8Check.SafeCut(chunk));

    private static int Utf8CheckFindInvalid(byte[] bytes) => Composer.Data.Utf8Check.FindInvalid(bytes);
}
