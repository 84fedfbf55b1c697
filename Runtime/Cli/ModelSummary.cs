using System.Globalization;
using System.Linq;
using System.Text;
using Composer.Models;

namespace Composer.Cli;

/// <summary>The human-readable table of a model: settings, then one row per layer.</summary>
public static class ModelSummary
{
    /// <summary>Formats <paramref name="description"/> as a plain-text table.</summary>
    public static string Format(ModelDescription description)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{description.Name} ({description.Kind}, {description.ParameterCount:N0} parameters, fingerprint {description.Fingerprint})").AppendLine();
        int keyWidth = description.Settings.Count == 0 ? 0 : description.Settings.Max(s => s.Key.Length);
        foreach (var (key, value) in description.Settings) text.Append("  ").Append(key.PadRight(keyWidth)).Append("  ").AppendLine(value);
        if (description.Layers.Count > 0)
        {
            int mixerWidth = description.Layers.Max(l => l.Mixer.Length);
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"  {"stack",-8} {"#",3}  {"mixer".PadRight(mixerWidth)}  {"cost",-8} {"parameters",12}").AppendLine();
            foreach (var layer in description.Layers)
                text.Append(CultureInfo.InvariantCulture, $"  {layer.Stack,-8} {layer.Index,3}  {layer.Mixer.PadRight(mixerWidth)}  {layer.Cost,-8} {layer.ParameterCount,12:N0}").AppendLine();
        }
        return text.ToString();
    }
}
