namespace Composer.Mixers;

/// <summary>Options of <see cref="Linformer"/>.</summary>
/// <param name="ProjectedLength">k, the number of positions keys and values are projected to; 0 means MaxLength / 4 (fairseq's default), at least 1.</param>
public sealed record LinformerOptions(int ProjectedLength);
