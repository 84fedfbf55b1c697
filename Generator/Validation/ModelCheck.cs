using System.Collections.Generic;
using Composer.Generator.Diagnostics;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;

namespace Composer.Generator.Validation
{
    /// <summary>
    /// What a rule sees: one parsed model, where it was written, and the list the rule reports into.
    /// Layer selections are resolved once here because several rules need them.
    /// </summary>
    internal sealed class ModelCheck
    {
        private readonly Dictionary<(int, int), List<int>?> _layers = new Dictionary<(int, int), List<int>?>();

        /// <summary>The deepest stack Composer accepts. Far beyond any trainable model, it keeps every
        /// per-layer computation (here and in the emitted code) small.</summary>
        public const int MaxDepth = 1000;

        public ModelCheck(ParsedModel model, RuntimeFacts facts)
        {
            Spec = model.Spec;
            Sites = model.Sites;
            Facts = facts;
        }

        /// <summary>What the referenced Composer.Runtime offers.</summary>
        public RuntimeFacts Facts { get; }

        public ModelSpec Spec { get; }

        public ModelSites Sites { get; }

        public ModelOptions Options => Spec.Options;

        public List<DiagnosticInfo> Diagnostics { get; } = new List<DiagnosticInfo>();

        /// <summary>The model attribute as users write it: <c>LanguageModel</c>, <c>Seq2Seq</c>, <c>Classifier</c>.</summary>
        public string ModelAttribute => Spec.Kind.ToString();

        public void Report(DiagnosticDescriptor descriptor, LocationInfo location, params object[] arguments) =>
            Diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

        /// <summary>The stack's name in messages: the model, or <c>Model.Encoder</c> for a nested stack.</summary>
        public string StackName(int stack) =>
            Spec.Stacks[stack].Class is { } nested ? Spec.Class.Name + "." + nested.Name : Spec.Class.Name;

        /// <summary>Whether the stack's depth is one the layer rules can work with (the size rules report
        /// the others).</summary>
        public bool HasUsableDepth(int stack) => Spec.Stacks[stack].Depth is > 0 and <= MaxDepth;

        /// <summary>
        /// Whether some value of the declaration is unknown: an argument the compiler could not compute,
        /// or a user mixer type it could not resolve. The compiler reports those; the rules stay silent
        /// about them and the model is not generated from defaults the user never wrote.
        /// </summary>
        public bool HasUnknown
        {
            get
            {
                if (Sites.Attribute.HasUnknown)
                {
                    return true;
                }

                for (int s = 0; s < Spec.Stacks.Count; s++)
                {
                    if (Sites.Stacks[s].Attribute.HasUnknown)
                    {
                        return true;
                    }

                    for (int m = 0; m < Spec.Stacks[s].Mixers.Count; m++)
                    {
                        if (Sites.Stacks[s].Mixers[m].HasUnknown || Spec.Stacks[s].Mixers[m].User is { IsResolved: false })
                        {
                            return true;
                        }
                    }
                }

                return false;
            }
        }

        /// <summary>Whether the stack has an encoder output to attend to: a Seq2Seq decoder.</summary>
        public bool HasMemory(int stack) => Spec.Kind == ModelKind.Seq2Seq && Spec.Stacks[stack].Role == StackRole.Decoder;

        /// <summary>The layers a mixer covers, or null when its selection is malformed, out of range or
        /// unknown, or the stack has no valid depth (the layer rules report those).</summary>
        public List<int>? Layers(int stack, int mixer)
        {
            if (!HasUsableDepth(stack) || Sites.Stacks[stack].Mixers[mixer].IsUnknown("Layers"))
            {
                return null;
            }

            if (!_layers.TryGetValue((stack, mixer), out List<int>? layers))
            {
                layers = Resolve(Spec.Stacks[stack].Depth, Spec.Stacks[stack].Mixers[mixer].Layers);
                _layers[(stack, mixer)] = layers;
            }

            return layers;
        }

        private static List<int>? Resolve(int depth, string? text)
        {
            if (depth <= 0)
            {
                return null;
            }

            if (text is null)
            {
                var all = new List<int>(depth);
                for (int layer = 0; layer < depth; layer++)
                {
                    all.Add(layer);
                }

                return all;
            }

            return LayerSelection.Parse(text, out var items) is null && LayerSelection.Resolve(items, depth, out var layers) is null
                ? layers
                : null;
        }
    }
}
