using Composer;

namespace Composer.Samples.Probes;

/// <summary>An LSTM: the classical baseline.</summary>
[LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, FeedForward = 128, MaxLength = 128)]
[Recurrent(Cell = RecurrentCell.Lstm)]
public partial class RecurrentProbe;
