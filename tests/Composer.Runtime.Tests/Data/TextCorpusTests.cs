using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Composer.Data;
using Composer.Models;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Data;

/// <summary>Language-model windows over a text file: exact bytes, every window once per epoch, never the whole file in memory.</summary>
public class TextCorpusTests
{
    /// <summary>Valid UTF-8 with one-, two-, three- and four-byte characters, deterministic.</summary>
    internal static byte[] SampleText(int approximateBytes, int seed = 7)
    {
        var random = new Random(seed);
        string[] pieces = ["the ", "cat ", "sat ", "é", "ß", "€", "中", "🙂", "\n", "on ", "a ", "mat. "];
        var text = new StringBuilder();
        while (text.Length < approximateBytes) text.Append(pieces[random.Next(pieces.Length)]);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public void WindowsReadInBatchesEqualTheFileBytes()
    {
        using var files = new TempFiles();
        var bytes = SampleText(5000);
        var path = files.Write("corpus.txt", bytes);
        const int t = 16;
        using var corpus = TextCorpus.Open(path, readBufferBytes: 64);
        long windows = (bytes.Length - 1) / t;
        using var source = new CorpusBatchSource(corpus, 0, windows, t, tokenBudget: 5 * t + 3, seed: 1);
        Assert.Equal(5, source.Rows);

        var seen = new long[windows];
        for (long b = 0; b < source.BatchesPerEpoch; b++)
        {
            var ids = source.WindowsOf(0, b);
            using var batch = source.Next();
            Assert.Null(batch.InputPadding);
            Assert.Equal(new long[] { ids.Length, t }, batch.Input.shape);
            Assert.Equal(ids.Length * t, batch.TargetTokens);
            Assert.Equal(ids.Length * t, batch.InputTokens);
            var input = batch.Input.data<long>().ToArray();
            var target = batch.Target.data<long>().ToArray();
            for (int r = 0; r < ids.Length; r++)
            {
                long start = ids[r] * t;
                for (int i = 0; i < t; i++)
                {
                    Assert.Equal(bytes[start + i], input[r * t + i]);
                    Assert.Equal(bytes[start + i + 1], target[r * t + i]);
                }
                seen[ids[r]]++;
            }
        }
        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.Equal(new DataPosition(1, 0), source.Position);
    }

    [Fact]
    public void ConsecutiveWindowsTileTheText()
    {
        using var files = new TempFiles();
        var bytes = SampleText(3000);
        const int t = 32;
        using var corpus = TextCorpus.Open(files.Write("corpus.txt", bytes));
        long windows = (bytes.Length - 1) / t;
        var evaluation = new CorpusEvaluationSet(corpus, 0, windows, t, tokenBudget: 4 * t);
        var inputs = new List<byte>();
        long last = 0;
        foreach (var batch in evaluation.Batches())
            using (batch)
            {
                inputs.AddRange(batch.Input.data<long>().ToArray().Select(v => (byte)v));
                last = batch.Target.data<long>().ToArray()[^1];
            }
        Assert.Equal(bytes[..(int)(windows * t)], inputs.ToArray());
        Assert.Equal(bytes[windows * t], last);
    }

    [Fact]
    public void StreamingNeverHoldsTheWholeFile()
    {
        using var files = new TempFiles();
        var bytes = SampleText(4 << 20);
        var path = files.Write("big.txt", bytes);
        const int buffer = 4096;

        long before = GC.GetAllocatedBytesForCurrentThread();
        using var data = DataFiles.Open(ModelKind.LanguageModel, path, options: new DataOptions { WindowLength = 64, TokensPerBatch = 512, ReadBufferBytes = buffer });
        for (int i = 0; i < 20; i++) data.Train.Next().Dispose();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        using var corpus = TextCorpus.Open(path, buffer);
        Assert.Equal(buffer, corpus.LargestRead);
        Assert.True(allocated < bytes.Length / 8, $"opening a {bytes.Length}-byte corpus and reading 20 batches allocated {allocated} bytes");
    }

    [Fact]
    public void ValidationIsTheFilesTail()
    {
        using var files = new TempFiles();
        var bytes = SampleText(20_000);
        var path = files.Write("corpus.txt", bytes);
        const int t = 50;
        using var data = DataFiles.Open(ModelKind.LanguageModel, path, options: new DataOptions { WindowLength = t, TokensPerBatch = 400, ValidationFraction = 0.1 });
        long windows = (bytes.Length - 1) / t, held = (long)Math.Round(windows * 0.1);
        var train = Assert.IsType<CorpusBatchSource>(data.Train);
        var validation = Assert.IsType<CorpusEvaluationSet>(data.Validation);
        Assert.Equal(windows - held, train.Windows);
        Assert.Equal(held, validation.Windows);
        Assert.True(train.Enumerate(0).All(w => w < windows - held));

        using var first = validation.Batches().First();
        var row = first.Input.data<long>().ToArray()[..t];
        Assert.Equal(bytes.AsSpan((int)((windows - held) * t), t).ToArray(), row.Select(v => (byte)v).ToArray());
        Assert.Equal(t, data.LongestSequence);
        Assert.Contains(data.Summary, line => line.Contains("validation windows from the file's last 10%"));
    }

    [Fact]
    public void SeparateValidationFile()
    {
        using var files = new TempFiles();
        var trainBytes = SampleText(5000);
        var validBytes = SampleText(1000, seed: 3);
        var train = files.Write("train.txt", trainBytes);
        var valid = files.Write("valid.txt", validBytes);
        using var data = DataFiles.Open(ModelKind.LanguageModel, train, valid, new DataOptions { WindowLength = 32, TokensPerBatch = 256 });
        Assert.Equal((trainBytes.Length - 1) / 32, ((CorpusBatchSource)data.Train).Windows);
        Assert.Equal((validBytes.Length - 1) / 32, ((CorpusEvaluationSet)data.Validation).Windows);
    }
}

internal static class CorpusBatchSourceTestExtensions
{
    /// <summary>Every window of an epoch in batch order.</summary>
    public static IEnumerable<long> Enumerate(this CorpusBatchSource source, long epoch)
    {
        for (long b = 0; b < source.BatchesPerEpoch; b++)
            foreach (long w in source.WindowsOf(epoch, b)) yield return w;
    }
}
