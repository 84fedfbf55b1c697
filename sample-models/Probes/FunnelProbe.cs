using Composer;

namespace Composer.Samples.Probes;

/// <summary>
/// Funnel-Transformer (MIXERS.md §10) in the encoder setting §11a gives it: a classifier of the subject's
/// number, read at the leading [BOS] position, which stays out of the pooling (Funnel's separate CLS).
/// The same shell as the other probes: one softmax-attention block at full length, then one on the
/// sequence mean-pooled to half, whose attention takes its queries from the pooled positions.
/// </summary>
[Classifier(Vocabulary = 256, Classes = 2, Width = 64, Depth = 2, FeedForward = 128, MaxLength = 129, Pooling = Pooling.First,
    Funnel = new[] { 1, 1 }, FunnelKeepFirst = true)]
[SelfAttention(Heads = 4)]
public partial class FunnelProbe;
