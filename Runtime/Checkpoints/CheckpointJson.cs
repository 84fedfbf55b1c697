using System.Text.Json.Serialization;

namespace Composer.Checkpoints;

// Compile-time JSON (no reflection, so trimming and AOT keep working), snake_case like fairseq's and
// PyTorch's checkpoint keys.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TrainingState))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
