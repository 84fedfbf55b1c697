namespace Composer.Training;

/// <summary>A checkpoint just written.</summary>
/// <param name="Step">Updates it holds.</param>
/// <param name="Path">Its folder.</param>
/// <param name="IsBest">Whether <c>best</c> now points to it.</param>
public sealed record CheckpointReport(long Step, string Path, bool IsBest);
