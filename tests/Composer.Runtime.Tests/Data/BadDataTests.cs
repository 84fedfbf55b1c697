using System;
using System.Linq;
using System.Text;
using Composer.Data;
using Composer.Models;
using Xunit;

namespace Composer.Tests.Data;

/// <summary>Every kind of bad input gives one line saying what and where, as a <see cref="DataException"/>.</summary>
public class BadDataTests
{
    private static string Message(Func<TrainingData> open)
    {
        var e = Assert.Throws<DataException>(() => open().Dispose());
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Theory]
    [InlineData(ModelKind.LanguageModel)]
    [InlineData(ModelKind.Seq2Seq)]
    [InlineData(ModelKind.Classifier)]
    public void MissingFile(ModelKind kind)
    {
        using var files = new TempFiles();
        var path = files.Missing("nope.txt");
        Assert.Equal($"{path}: file not found", Message(() => DataFiles.Open(kind, path)));
    }

    [Fact]
    public void MissingValidationFile()
    {
        using var files = new TempFiles();
        var train = files.Write("train.tsv", "a\tb\nc\td\n");
        var path = files.Missing("valid.tsv");
        Assert.Equal($"{path}: file not found", Message(() => DataFiles.Open(ModelKind.Seq2Seq, train, path)));
    }

    [Theory]
    [InlineData(ModelKind.LanguageModel)]
    [InlineData(ModelKind.Seq2Seq)]
    [InlineData(ModelKind.Classifier)]
    public void EmptyFile(ModelKind kind)
    {
        using var files = new TempFiles();
        var path = files.Write("empty.txt", "");
        Assert.Equal($"{path}: file is empty", Message(() => DataFiles.Open(kind, path)));
    }

    [Fact]
    public void DirectoryInsteadOfFile()
    {
        using var files = new TempFiles();
        Assert.Equal($"{files.Folder}: is a directory, not a data file", Message(() => DataFiles.Open(ModelKind.LanguageModel, files.Folder)));
    }

    [Fact]
    public void OnlyEmptyLines()
    {
        using var files = new TempFiles();
        var path = files.Write("blank.tsv", "\n\r\n\n");
        Assert.Equal($"{path}: holds no examples (every line is empty)", Message(() => DataFiles.Open(ModelKind.Seq2Seq, path)));
    }

    [Fact]
    public void InvalidUtf8InACorpusGivesTheByteOffset()
    {
        using var files = new TempFiles();
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("héllo wörld ", 100)));
        bytes[777] = 0xFF;
        var path = files.Write("corpus.txt", bytes);
        Assert.Equal($"{path}: invalid UTF-8 at byte offset 777 (byte 0xFF)",
            Message(() => DataFiles.Open(ModelKind.LanguageModel, path, options: new DataOptions { WindowLength = 16, ReadBufferBytes = 64 })));
    }

    [Fact]
    public void CharactersSplitAcrossReadChunksAreValid()
    {
        // With 64-byte chunks, 3- and 4-byte characters land on every chunk boundary somewhere.
        using var files = new TempFiles();
        var path = files.Write("corpus.txt", string.Concat(Enumerable.Repeat("€🙂a", 200)));
        using var data = DataFiles.Open(ModelKind.LanguageModel, path, options: new DataOptions { WindowLength = 16, ReadBufferBytes = 64 });
        Assert.Equal(ModelKind.LanguageModel, data.Kind);
    }

    [Fact]
    public void TruncatedCharacterAtTheEndOfACorpus()
    {
        using var files = new TempFiles();
        var bytes = Encoding.UTF8.GetBytes(new string('x', 200) + "€");
        var path = files.Write("corpus.txt", bytes[..^1]);
        Assert.Equal($"{path}: invalid UTF-8 at byte offset 200 (byte 0xE2)",
            Message(() => DataFiles.Open(ModelKind.LanguageModel, path, options: new DataOptions { WindowLength = 16, ReadBufferBytes = 64 })));
    }

    [Fact]
    public void InvalidUtf8InATsvLineGivesLineAndOffset()
    {
        using var files = new TempFiles();
        var bytes = Encoding.UTF8.GetBytes("abc\txyz\nde\tfg\n");
        bytes[12] = 0xC0; // line 2 starts at offset 8: "de\tfg" -> the 'g'
        var path = files.Write("pairs.tsv", bytes);
        Assert.Equal($"{path}:2: invalid UTF-8 at byte offset 12 (byte 0xC0)", Message(() => DataFiles.Open(ModelKind.Seq2Seq, path)));
    }

    [Fact]
    public void MalformedTsvLineGivesItsLineNumber()
    {
        using var files = new TempFiles();
        var path = files.Write("pairs.tsv", "a\tb\r\n\nc\td\ne f\ng\th\n");
        Assert.Equal($"{path}:4: malformed TSV line: expected 2 tab-separated fields (source<TAB>target), found 1",
            Message(() => DataFiles.Open(ModelKind.Seq2Seq, path)));
    }

    [Fact]
    public void TooManyFieldsInAClassificationFile()
    {
        using var files = new TempFiles();
        var path = files.Write("labels.tsv", "pos\tgood\nneg\tbad\textra\n");
        Assert.Equal($"{path}:2: malformed TSV line: expected 2 tab-separated fields (label<TAB>text), found 3",
            Message(() => DataFiles.Open(ModelKind.Classifier, path)));
    }

    [Fact]
    public void EmptyFieldGivesItsLineNumber()
    {
        using var files = new TempFiles();
        var path = files.Write("pairs.tsv", "a\tb\n\tc\n");
        Assert.Equal($"{path}:2: malformed TSV line: the source field is empty", Message(() => DataFiles.Open(ModelKind.Seq2Seq, path)));
    }

    [Fact]
    public void UnknownValidationLabel()
    {
        using var files = new TempFiles();
        var train = files.Write("train.tsv", "pos\tgood\nneg\tbad\n");
        var valid = files.Write("valid.tsv", "pos\tfine\nmeh\tso-so\n");
        Assert.Equal($"{valid}:2: the label 'meh' does not occur in the training data {train} (labels: neg, pos)",
            Message(() => DataFiles.Open(ModelKind.Classifier, train, valid)));
    }

    [Fact]
    public void ExampleLongerThanTheModel()
    {
        using var files = new TempFiles();
        var path = files.Write("pairs.tsv", "short\tok\n" + new string('x', 40) + "\ty\n");
        Assert.Equal($"{path}:2: the example is 40 tokens long, more than the model's maximum length of 32; shorten or remove it",
            Message(() => DataFiles.Open(ModelKind.Seq2Seq, path, options: new DataOptions { MaxLength = 32 })));
    }

    [Fact]
    public void ExampleLongerThanTheTokenBudget()
    {
        using var files = new TempFiles();
        var path = files.Write("labels.tsv", "a\tshort\nb\t" + new string('x', 40) + "\n");
        Assert.Equal($"{path}:2: the example is 40 tokens long, more than the token budget of 32 per batch; raise the budget",
            Message(() => DataFiles.Open(ModelKind.Classifier, path, options: new DataOptions { TokensPerBatch = 32 })));
    }

    [Fact]
    public void CorpusTooSmallForTheWindows()
    {
        using var files = new TempFiles();
        var path = files.Write("tiny.txt", "just a few bytes");
        Assert.Equal($"{path}: the file has 16 bytes, too few for a training and a validation window of 65 bytes; use shorter windows or more text",
            Message(() => DataFiles.Open(ModelKind.LanguageModel, path, options: new DataOptions { WindowLength = 64 })));
    }

    [Fact]
    public void TooFewExamplesToHoldOutValidation()
    {
        using var files = new TempFiles();
        var path = files.Write("one.tsv", "a\tb\n");
        Assert.Equal($"{path}: only 1 example(s): too few to hold out 5% for validation and still train; add examples or give a validation file",
            Message(() => DataFiles.Open(ModelKind.Seq2Seq, path)));
    }

    [Fact]
    public void BadOptionsAreArgumentErrors()
    {
        using var files = new TempFiles();
        var path = files.Write("corpus.txt", new string('x', 1000));
        Assert.Throws<ArgumentException>(() => DataFiles.Open(ModelKind.LanguageModel, path, options: new DataOptions { ValidationFraction = 1 }));
        var e = Assert.Throws<ArgumentException>(() => DataFiles.Open(ModelKind.LanguageModel, path, options: new DataOptions { WindowLength = 128, MaxLength = 64 }));
        Assert.Equal("the window length 128 is longer than the model's maximum length 64; use a window of at most 64", e.Message);
    }
}
