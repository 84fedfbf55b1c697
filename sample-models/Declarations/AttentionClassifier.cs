using Composer;

namespace Composer.Samples;

/// <summary>
/// Encoder-only sequence classifier: softmax self-attention over the whole sequence, learned
/// positions, mean pooling and a two-way output.
/// </summary>
[Classifier(Vocabulary = 256, Classes = 2, Width = 128, Depth = 4, MaxLength = 512,
    Positions = PositionalEncoding.Learned, Pooling = Pooling.Mean)]
[SelfAttention(Heads = 4)]
public partial class AttentionClassifier;
