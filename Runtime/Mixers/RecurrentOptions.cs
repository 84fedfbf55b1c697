namespace Composer.Mixers;

/// <summary>Options of <see cref="RecurrentMixer"/>.</summary>
/// <param name="Cell">LSTM or GRU.</param>
/// <param name="Bidirectional">Also run right to left, C / 2 channels per direction (encoders only).</param>
public sealed record RecurrentOptions(RecurrentCell Cell = RecurrentCell.Lstm, bool Bidirectional = false);
