using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Mixers;
using Composer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Figures;

/// <summary>A mixer of the model that has nothing to draw, and why.</summary>
/// <param name="Path">Its dotted name, e.g. "layers.0.mixer".</param>
/// <param name="Mixer">Its type.</param>
/// <param name="Reason">Why there are no weights over positions.</param>
public sealed record UndrawnMixer(string Path, string Mixer, string Reason);

/// <summary>The panels of every mixer that mixes with weights over positions, and the mixers that do not.</summary>
/// <param name="Panels">One panel per head of each drawable mixer, in the model's order.</param>
/// <param name="Undrawn">Mixers with nothing to draw.</param>
public sealed record AttentionMaps(IReadOnlyList<AttentionPanel> Panels, IReadOnlyList<UndrawnMixer> Undrawn)
{
    /// <summary>
    /// Runs <paramref name="model"/> (in evaluation mode, without gradients) on one sequence and collects
    /// what each mixer mixes with (<see cref="IMixingWeights"/>, <see cref="ICrossMixingWeights"/>).
    /// <paramref name="source"/> is the input of a language model or classifier, or a seq2seq model's
    /// source; <paramref name="target"/> is a seq2seq model's decoder input (BOS first), else null.
    /// A mixer has nothing to draw when it implements neither interface (a recurrent mixer, which carries
    /// a state instead of weights; a user's mixer that does not expose weights).
    /// </summary>
    public static AttentionMaps Compute(nn.Module model, long[] source, long[]? target, Func<long, string> label, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var sourceTokens = tensor(source, [1, source.Length], device: device);
        using var recording = MixerInputs.Record();
        switch (model)
        {
            case ISeq2SeqModel seq2seq:
                seq2seq.forward(sourceTokens, null, tensor(target ?? throw new ArgumentNullException(nameof(target)), [1, target.Length], device: device), null);
                break;
            case ILanguageModel lm: lm.forward(sourceTokens, null); break;
            case IClassifier classifier: classifier.forward(sourceTokens, null); break;
            default: throw new ArgumentException($"{model.GetType().Name} implements none of the model interfaces", nameof(model));
        }
        var sourceLabels = source.Select(label).ToArray();
        var targetLabels = target?.Select(label).ToArray();
        var panels = new List<AttentionPanel>();
        var undrawn = new List<UndrawnMixer>();
        foreach (var (path, module) in model.named_modules())
        {
            if (module is not (IMixer or ICrossMixer)) continue;
            var call = recording.Calls.FirstOrDefault(c => ReferenceEquals(c.Mixer, module));
            string type = module.GetType().Name;
            Tensor weights;
            string kind;
            string[] rows, columns;
            switch (module)
            {
                case IMixingWeights self when call is not null:
                    weights = self.MixingWeights(call.Input, call.Padding);
                    kind = self.WeightsKind;
                    rows = columns = targetLabels is not null && (path.StartsWith("decoder", StringComparison.Ordinal) || call.Input.shape[1] != source.Length)
                        ? targetLabels : sourceLabels;
                    break;
                case ICrossMixingWeights cross when call is not null:
                    weights = cross.MixingWeights(call.Input, call.Memory!, call.Padding);
                    kind = cross.WeightsKind;
                    (rows, columns) = (targetLabels ?? sourceLabels, sourceLabels);
                    break;
                case RecurrentMixer:
                    undrawn.Add(new UndrawnMixer(path, type, "a recurrent mixer carries a state from position to position, not weights over positions"));
                    continue;
                case IMixingWeights or ICrossMixingWeights:
                    undrawn.Add(new UndrawnMixer(path, type, "the forward pass did not reach it"));
                    continue;
                default:
                    undrawn.Add(new UndrawnMixer(path, type, $"{type} does not expose weights over positions ({nameof(IMixingWeights)})"));
                    continue;
            }
            var values = weights[0].cpu().to(ScalarType.Float32);   // (H, T, S)
            long heads = values.shape[0], t = values.shape[1], s = values.shape[2];
            var flat = values.data<float>().ToArray();
            for (int h = 0; h < heads; h++)
            {
                var grid = new float[t, s];
                for (int i = 0; i < t; i++)
                    for (int j = 0; j < s; j++) grid[i, j] = flat[(h * t + i) * s + j];
                panels.Add(new AttentionPanel(path, $"{path} · head {h} · {kind}", grid, rows, columns));
            }
        }
        return new AttentionMaps(panels, undrawn);
    }
}
