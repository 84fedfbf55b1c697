using System.Collections.Generic;
using System.Linq;
using Composer.Generator.Specs;
using static Composer.Generator.Diagnostics.DiagnosticDescriptors;

namespace Composer.Generator.Validation
{
    /// <summary>Rules about which mixer fills which layer (CMP0015–CMP0018, CMP0025).</summary>
    internal static class LayerRules
    {
        /// <summary>CMP0015: the Layers text does not follow the grammar.</summary>
        public static void MalformedLayers(ModelCheck check)
        {
            OptionRules.ForEachMixer(check, (mixer, site) =>
            {
                if (mixer.Layers is { } text && LayerSelection.Parse(text, out _) is { } problem)
                {
                    check.Report(MalformedLayersError, site.Of("Layers"), text, problem);
                }
            });
        }

        /// <summary>CMP0016: a well-formed selection that does not fit the stack's depth.</summary>
        public static void LayersOutOfRange(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                StackSpec stack = check.Spec.Stacks[s];
                if (!check.HasUsableDepth(s))
                {
                    continue;
                }

                for (int m = 0; m < stack.Mixers.Count; m++)
                {
                    string? text = stack.Mixers[m].Layers;
                    if (text is not null
                        && LayerSelection.Parse(text, out var items) is null
                        && LayerSelection.Resolve(items, stack.Depth, out _) is { } problem)
                    {
                        check.Report(LayersOutOfRangeError, check.Sites.Stacks[s].Mixers[m].Of("Layers"), text, check.StackName(s), Text.Count(stack.Depth, "layer"), problem);
                    }
                }
            }
        }

        /// <summary>CMP0017: two mixers claim the same layer (of the same sublayer: self or cross).</summary>
        public static void LayerCoveredTwice(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                foreach (bool cross in new[] { false, true })
                {
                    if (cross && !check.HasMemory(s))
                    {
                        continue;
                    }

                    var owner = new Dictionary<int, int>();
                    StackSpec stack = check.Spec.Stacks[s];
                    for (int m = 0; m < stack.Mixers.Count; m++)
                    {
                        if (stack.Mixers[m].Cross != cross || check.Layers(s, m) is not { } layers)
                        {
                            continue;
                        }

                        int? clash = null;
                        foreach (int layer in layers)
                        {
                            if (owner.TryGetValue(layer, out int first))
                            {
                                clash ??= layer;
                                if (clash == layer)
                                {
                                    check.Report(LayerCoveredTwiceError, check.Sites.Stacks[s].Mixers[m].Of("Layers"), layer, check.StackName(s), stack.Mixers[first].Name, stack.Mixers[m].Name);
                                }
                            }
                            else
                            {
                                owner[layer] = m;
                            }
                        }
                    }
                }
            }
        }

        /// <summary>CMP0018: every layer needs a mixer; in a decoder with any cross mixer, every layer
        /// needs a cross mixer too. Skipped while a selection is itself in error.</summary>
        public static void LayerNotCovered(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                StackSpec stack = check.Spec.Stacks[s];
                if (!check.HasUsableDepth(s))
                {
                    continue;
                }

                foreach (bool cross in new[] { false, true })
                {
                    var mixers = Enumerable.Range(0, stack.Mixers.Count).Where(m => stack.Mixers[m].Cross == cross).ToList();
                    if (cross && (mixers.Count == 0 || !check.HasMemory(s)))
                    {
                        continue;
                    }

                    var covered = new HashSet<int>();
                    bool known = true;
                    foreach (int m in mixers)
                    {
                        if (check.Layers(s, m) is { } layers)
                        {
                            covered.UnionWith(layers);
                        }
                        else
                        {
                            known = false;
                        }
                    }

                    var missing = Enumerable.Range(0, stack.Depth).Where(l => !covered.Contains(l)).ToList();
                    if (known && missing.Count > 0)
                    {
                        string layers = (missing.Count == 1 ? "layer \"" : "layers \"") + LayerSelection.Format(missing) + "\"";
                        check.Report(LayerNotCoveredError, check.Sites.Stacks[s].Attribute.Name, cross ? "cross mixer" : "mixer", layers, check.StackName(s));
                    }
                }
            }
        }

        /// <summary>CMP0025: only a Seq2Seq decoder has an encoder output to attend to.</summary>
        public static void CrossOutsideDecoder(ModelCheck check)
        {
            for (int s = 0; s < check.Spec.Stacks.Count; s++)
            {
                bool hasMemory = check.HasMemory(s);
                for (int m = 0; m < check.Spec.Stacks[s].Mixers.Count; m++)
                {
                    if (check.Spec.Stacks[s].Mixers[m].Cross && !hasMemory)
                    {
                        check.Report(CrossOutsideDecoderError, check.Sites.Stacks[s].Mixers[m].Of("Cross"));
                    }
                }
            }
        }
    }
}
