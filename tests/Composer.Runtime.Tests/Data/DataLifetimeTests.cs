using System.Linq;
using Composer.Data;
using Composer.Data.Tasks;
using Composer.Models;
using Composer.Tests.Harness;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Data;

/// <summary>Batches own their tensors: producing and disposing them leaves the live-tensor count where it was.</summary>
public class DataLifetimeTests
{
    [Fact]
    public void ProducingAndDisposingBatchesLeavesNoTensors()
    {
        using var files = new TempFiles();
        var corpus = files.Write("corpus.txt", TextCorpusTests.SampleText(20_000));
        var pairs = files.Write("pairs.tsv", string.Join("\n", Enumerable.Range(0, 200).Select(i => $"src {i}\ttarget {i * 7}")));
        var labels = files.Write("labels.tsv", string.Join("\n", Enumerable.Range(0, 200).Select(i => $"{i % 3}\ttext number {i}")));
        var options = new DataOptions { WindowLength = 32, TokensPerBatch = 256 };
        var small = new TaskOptions { TrainExamples = 500, ValidationExamples = 50 };
        var agreement = small with { TestExamplesPerDistance = 10, TestDistances = [1, 16] };

        TrainingData[] all =
        [
            DataFiles.Open(ModelKind.LanguageModel, corpus, options: options),
            DataFiles.Open(ModelKind.Seq2Seq, pairs, options: options),
            DataFiles.Open(ModelKind.Classifier, labels, options: options),
            BuiltInTasks.Create("reverse", ModelKind.Seq2Seq, options, small),
            BuiltInTasks.Create("addition", ModelKind.LanguageModel, options, small),
            BuiltInTasks.Create("agreement", ModelKind.LanguageModel, options, agreement),
            BuiltInTasks.Create("agreement", ModelKind.Classifier, options, agreement),
        ];
        long before = LiveTensors.Settled();
        using (var scope = NewDisposeScope()) // a scope open around the data must not adopt the batches' tensors
        {
            foreach (var data in all)
            {
                for (int i = 0; i < 30; i++) data.Train.Next().Dispose();
                foreach (var batch in data.Validation.Batches()) batch.Dispose();
                if (data.Test is { } test)
                    foreach (var cb in test.ContrastiveBatches())
                        using (cb)
                        {
                            long v = data.Kind == ModelKind.LanguageModel ? 256 : 2;
                            using var logits = data.Kind == ModelKind.LanguageModel ? randn(cb.Batch.Size, cb.Batch.Input.shape[1], v) : randn(cb.Batch.Size, v);
                            cb.Judge(logits);
                        }
            }
            Assert.Equal(0, scope.DisposablesCount);
        }
        Assert.Equal(before, LiveTensors.Count);
        foreach (var data in all) data.Dispose();
    }

    [Fact]
    public void BatchTensorsOutliveAnEnclosingScope()
    {
        using var data = BuiltInTasks.Create("copy", ModelKind.Seq2Seq, options: new TaskOptions { TrainExamples = 100, ValidationExamples = 10 });
        Batch batch;
        using (NewDisposeScope()) batch = data.Train.Next();
        Assert.False(batch.Input.IsInvalid);
        Assert.False(batch.DecoderInput!.IsInvalid);
        batch.Dispose();
        Assert.True(batch.Target.IsInvalid);
    }
}
