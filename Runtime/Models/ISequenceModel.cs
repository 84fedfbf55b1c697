using static TorchSharp.torch;

namespace Composer.Models;

/// <summary>
/// What every generated model implements, besides deriving from <c>torch.nn.Module</c>. The
/// shared training loop, generation and the command line work through these interfaces only.
/// Token tensors are int64 (B, T); padding masks are bool (B, T) with true at padded positions.
/// </summary>
public interface ISequenceModel
{
    /// <summary>The compile-time facts of the declaration.</summary>
    ModelDescription Description { get; }
}

/// <summary>A decoder-only language model.</summary>
public interface ILanguageModel : ISequenceModel
{
    /// <summary>Vocabulary size V.</summary>
    int Vocabulary { get; }

    /// <summary>Next-token logits (B, T, V) for every position; causal. The module's own <c>forward</c>.</summary>
    Tensor forward(Tensor tokens, Tensor? padding);

    /// <summary>An empty decoding state for <paramref name="batchSize"/> sequences.</summary>
    IDecodingState NewState(long batchSize);

    /// <summary>Feeds one token per sequence, (B, 1); returns the next-token logits (B, 1, V).</summary>
    Tensor Step(Tensor token, IDecodingState state);
}

/// <summary>An encoder–decoder model.</summary>
public interface ISeq2SeqModel : ISequenceModel
{
    /// <summary>Source vocabulary size.</summary>
    int SourceVocabulary { get; }
    /// <summary>Target vocabulary size.</summary>
    int TargetVocabulary { get; }

    /// <summary>Encodes the source: (B, S) → memory (B, S, C).</summary>
    Tensor Encode(Tensor source, Tensor? sourcePadding);

    /// <summary>Teacher-forced decoding: target-token logits (B, T, V) given the memory.</summary>
    Tensor Decode(Tensor target, Tensor? targetPadding, Tensor memory, Tensor? sourcePadding);

    /// <summary>Encode then teacher-forced decode: target-token logits (B, T, V). The module's own <c>forward</c>.</summary>
    Tensor forward(Tensor source, Tensor? sourcePadding, Tensor target, Tensor? targetPadding);

    /// <summary>An empty decoding state attending to <paramref name="memory"/>.</summary>
    IDecodingState NewState(Tensor memory, Tensor? sourcePadding);

    /// <summary>Feeds one target token per sequence, (B, 1); returns logits (B, 1, V).</summary>
    Tensor Step(Tensor token, IDecodingState state);
}

/// <summary>An encoder-only classifier.</summary>
public interface IClassifier : ISequenceModel
{
    /// <summary>Vocabulary size.</summary>
    int Vocabulary { get; }
    /// <summary>Number of classes.</summary>
    int Classes { get; }

    /// <summary>Class logits (B, Classes) for each sequence. The module's own <c>forward</c>.</summary>
    Tensor forward(Tensor tokens, Tensor? padding);
}
