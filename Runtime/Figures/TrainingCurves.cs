using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace Composer.Figures;

/// <summary>A run's training and validation loss by update, read from its <c>metrics.jsonl</c>.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Training">(update, training loss) of every logged update.</param>
/// <param name="Validation">(update, validation loss) of every evaluation.</param>
public sealed record TrainingCurves(string Model, IReadOnlyList<(long Step, double Loss)> Training, IReadOnlyList<(long Step, double Loss)> Validation)
{
    /// <summary>Reads the <c>step</c> and <c>eval</c> lines of <paramref name="metricsPath"/>; non-finite losses (written as strings) are left out.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">A line is not JSON.</exception>
    public static TrainingCurves Read(string model, string metricsPath)
    {
        var training = new List<(long, double)>();
        var validation = new List<(long, double)>();
        int number = 0;
        foreach (var line in File.ReadLines(metricsPath))
        {
            number++;
            if (line.Length == 0) continue;
            try
            {
                using var json = JsonDocument.Parse(line);
                var e = json.RootElement;
                if (!e.TryGetProperty("loss", out var loss) || loss.ValueKind != JsonValueKind.Number) continue;
                long step = e.GetProperty("step").GetInt64();
                switch (e.GetProperty("event").GetString())
                {
                    case "step": training.Add((step, loss.GetDouble())); break;
                    case "eval": validation.Add((step, loss.GetDouble())); break;
                }
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{metricsPath}, line {number}: not a JSON object ({ex.Message})", ex);
            }
        }
        return new TrainingCurves(model, training, validation);
    }
}
