using System.Collections.Generic;
using System.Linq;
using Composer.Generator.Specs;
using Composer.Generator.Validation;

namespace Composer.Generator.Emit
{
    /// <summary>
    /// A valid <see cref="ModelSpec"/> resolved for emission: each stack's layers with their mixers and
    /// kernels, the derived sizes, parameter counts, receptive fields, the settings text and its
    /// fingerprint. Built inside the emit step from the spec alone, so it never enters the pipeline.
    /// </summary>
    internal sealed class ModelPlan
    {
        private ModelPlan(ModelSpec spec)
        {
            Spec = spec;
        }

        public ModelSpec Spec { get; }

        public ModelOptions Options => Spec.Options;

        public int Width => Options.Width;

        /// <summary>The feed-forward's hidden width (4 × Width unless declared).</summary>
        public int FeedForward => Options.FeedForward > 0 ? Options.FeedForward : 4 * Options.Width;

        public List<StackPlan> Stacks { get; } = new List<StackPlan>();

        public long ParameterCount { get; private set; }

        /// <summary>User mixer types whose own parameters the count leaves out.</summary>
        public List<string> UncountedMixers { get; } = new List<string>();

        public List<KeyValuePair<string, string>> Settings { get; } = new List<KeyValuePair<string, string>>();

        public string Fingerprint { get; private set; } = string.Empty;

        /// <summary>The class name with its containing classes: <c>Outer.Model</c>.</summary>
        public string QualifiedName
        {
            get
            {
                var name = new System.Text.StringBuilder();
                foreach (ClassSpec outer in Spec.ContainingTypes)
                {
                    name.Append(outer.Name).Append('.');
                }

                return name.Append(Spec.Class.Name).ToString();
            }
        }

        public string FullName => ModelEmitter.FullName(Spec);

        public StackPlan? Encoder => Find(StackRole.Encoder);

        public StackPlan? Decoder => Find(StackRole.Decoder);

        public static ModelPlan Create(ModelSpec spec)
        {
            var plan = new ModelPlan(spec);
            foreach (StackSpec stack in spec.Stacks)
            {
                plan.Stacks.Add(StackPlan.Create(plan, stack));
            }

            long total = 0;
            foreach (StackPlan stack in plan.Stacks)
            {
                total = Count.Add(total, stack.ParameterCount);
                foreach (LayerPlan layer in stack.Layers)
                {
                    foreach (MixerUse? use in new[] { layer.Mixer, layer.Cross })
                    {
                        if (use is { Spec.Kind: MixerKind.User } && !plan.UncountedMixers.Contains(use.Spec.User!.DisplayName))
                        {
                            plan.UncountedMixers.Add(use.Spec.User!.DisplayName);
                        }
                    }
                }
            }

            if (spec.Kind == ModelKind.Classifier)
            {
                total = Count.Add(total, Count.Add(Count.Mul(spec.Options.Width, spec.Options.Classes), spec.Options.Classes));
            }

            plan.ParameterCount = total;
            plan.AddSettings();
            plan.Fingerprint = Emit.Fingerprint.Of(plan.Settings);
            return plan;
        }

        private StackPlan? Find(StackRole role)
        {
            foreach (StackPlan stack in Stacks)
            {
                if (stack.Role == role)
                {
                    return stack;
                }
            }

            return null;
        }

        /// <summary>Every setting in a fixed order, as invariant text: what the fingerprint hashes and the
        /// summary prints. Defaults are written out, so an explicit default and an omitted one agree.</summary>
        private void AddSettings()
        {
            ModelOptions o = Options;
            Add("Kind", Spec.Kind.ToString());
            switch (Spec.Kind)
            {
                case ModelKind.LanguageModel:
                    Add("Vocabulary", o.Vocabulary);
                    break;
                case ModelKind.Classifier:
                    Add("Vocabulary", o.Vocabulary);
                    Add("Classes", o.Classes);
                    Add("Pooling", o.Pooling.ToString());
                    break;
                case ModelKind.Seq2Seq:
                    Add("SourceVocabulary", o.SourceVocabulary);
                    Add("TargetVocabulary", o.TargetVocabulary);
                    break;
            }

            Add("Width", o.Width);
            Add("FeedForward", FeedForward);
            Add("Activation", o.Activation.ToString());
            Add("Norm", o.Norm.ToString());
            Add("Dropout", Text.Invariant(o.Dropout));
            Add("AttentionDropout", Text.Invariant(o.AttentionDropout));
            Add("ActivationDropout", Text.Invariant(o.ActivationDropout));
            Add("WeightDropout", Text.Invariant(o.WeightDropout));
            Add("Positions", o.Positions.ToString());
            if (Spec.Kind != ModelKind.Classifier)
            {
                Add("TieEmbeddings", o.TieEmbeddings ? "true" : "false");
            }

            Add("MaxLength", o.MaxLength);
            foreach (StackPlan stack in Stacks)
            {
                Add(stack.Prefix + "Depth", stack.Layers.Count);
                // Written only when declared, so every stack without them keeps its fingerprint.
                StackStructure structure = stack.Spec.Structure;
                if (structure.Reversible)
                {
                    Add(stack.Prefix + "Reversible", "true");
                }

                if (structure.IsFunnel)
                {
                    Add(stack.Prefix + "Funnel", string.Join(", ", structure.Funnel.Select(size => Text.Invariant(size))));
                    Add(stack.Prefix + "FunnelPooling", structure.FunnelPooling.ToString());
                    Add(stack.Prefix + "FunnelKeepFirst", structure.FunnelKeepFirst ? "true" : "false");
                }

                foreach (LayerPlan layer in stack.Layers)
                {
                    Add(stack.Prefix + "layers." + Text.Invariant(layer.Index) + ".mixer", layer.Mixer.Setting);
                    if (layer.Cross is { } cross)
                    {
                        Add(stack.Prefix + "layers." + Text.Invariant(layer.Index) + ".cross", cross.Setting);
                    }
                }
            }

            void Add(string key, object value) => Settings.Add(new KeyValuePair<string, string>(key, Text.Invariant(value)));
        }
    }

    /// <summary>One stack: the layers of a language model or classifier, or a Seq2Seq encoder or decoder.</summary>
    internal sealed class StackPlan
    {
        private StackPlan(StackSpec spec, string prefix, string summaryName)
        {
            Spec = spec;
            Prefix = prefix;
            SummaryName = summaryName;
        }

        public StackSpec Spec { get; }

        public StackRole Role => Spec.Role;

        public bool IsCausal => Spec.IsCausal;

        /// <summary>The dotted-name prefix of the stack's parameters: empty for a single-stack model,
        /// <c>encoder.</c> or <c>decoder.</c> in a Seq2Seq model.</summary>
        public string Prefix { get; }

        /// <summary>The stack column of the summary: <c>layers</c>, <c>encoder</c> or <c>decoder</c>.</summary>
        public string SummaryName { get; }

        public int Vocabulary { get; private set; }

        /// <summary>Whether the stack ends in a projection onto the vocabulary (language models and decoders).</summary>
        public bool HasOutput { get; private set; }

        /// <summary>Whether that projection reuses the token embedding.</summary>
        public bool Tied { get; private set; }

        /// <summary>Whether layers have a cross sublayer attending to the encoder output.</summary>
        public bool HasCross { get; private set; }

        public List<LayerPlan> Layers { get; } = new List<LayerPlan>();

        /// <summary>Whether the stack couples its sublayers reversibly (MIXERS.md §9).</summary>
        public bool Reversible => Spec.Structure.Reversible;

        /// <summary>Whether the stack pools between Funnel blocks (MIXERS.md §10).</summary>
        public bool IsFunnel => Spec.Structure.IsFunnel;

        /// <summary>Trainable scalars of the stack: embeddings, positions, layers, final norm, output.</summary>
        public long ParameterCount { get; private set; }

        /// <summary>Tokens one output position can see (1 + the reach of every layer), or null when some
        /// layer sees the whole sequence.</summary>
        public long? ReceptiveField { get; private set; }

        /// <summary>The first layer that sees the whole sequence, when <see cref="ReceptiveField"/> is null.</summary>
        public LayerPlan? UnboundedLayer { get; private set; }

        public static StackPlan Create(ModelPlan model, StackSpec spec)
        {
            bool seq2seq = model.Spec.Kind == ModelKind.Seq2Seq;
            string prefix = !seq2seq ? string.Empty : spec.Role == StackRole.Encoder ? "encoder." : "decoder.";
            string name = !seq2seq ? "layers" : spec.Role == StackRole.Encoder ? "encoder" : "decoder";
            var stack = new StackPlan(spec, prefix, name);
            ModelOptions o = model.Options;
            stack.Vocabulary = model.Spec.Kind switch
            {
                ModelKind.Seq2Seq => spec.Role == StackRole.Encoder ? o.SourceVocabulary : o.TargetVocabulary,
                _ => o.Vocabulary,
            };
            stack.HasOutput = spec.IsCausal;
            stack.Tied = stack.HasOutput && o.TieEmbeddings;
            stack.HasCross = seq2seq && spec.Role == StackRole.Decoder;

            var selfMixers = new MixerUse?[spec.Depth];
            var crossMixers = new MixerUse?[spec.Depth];
            foreach (MixerSpec mixer in spec.Mixers)
            {
                List<int> layers = Selection(mixer.Layers, spec.Depth);
                for (int i = 0; i < layers.Count; i++)
                {
                    int kernel = mixer.Kernels.Count == 0 || !MixerTraits.Needs(mixer, MixerNeeds.Kernel) ? 0 : mixer.Kernels[mixer.Kernels.Count == 1 ? 0 : i];
                    var use = new MixerUse(mixer, mixer.Cross && stack.HasCross, kernel, model, spec.IsCausal);
                    if (use.IsCross)
                    {
                        crossMixers[layers[i]] = use;
                    }
                    else
                    {
                        selfMixers[layers[i]] = use;
                    }
                }
            }

            // A decoder without cross mixers gets softmax cross-attention with the default heads.
            MixerSpec defaultCross = DefaultCross();
            long width = o.Width;
            long norm = Count.Mul(2, width);
            long feedForward = Count.Add(Count.Add(Count.Mul(2, Count.Mul(width, model.FeedForward)), model.FeedForward), width);
            // A Funnel stack pools before each block but the first. Pooling has no parameters; what it changes
            // is the length each layer sees (its cost class) and how far each layer reaches in input tokens:
            // a pooled position stands for `stride` input positions, so a pooling widens the field by the
            // stride so far, and a layer's reach counts in units of its block's stride.
            int[]? blocks = FunnelLayout.BlockOfLayer(spec);
            long? field = 1;
            long stride = 1;
            for (int i = 0; i < spec.Depth; i++)
            {
                MixerUse mixer = selfMixers[i] ?? new MixerUse(defaultCross, false, 0, model, spec.IsCausal);
                MixerUse? cross = stack.HasCross ? crossMixers[i] ?? new MixerUse(defaultCross, true, 0, model, spec.IsCausal) : null;
                long parameters = Count.Add(Count.Add(Count.Mul(2, norm), feedForward), mixer.Parameters);
                if (cross is not null)
                {
                    parameters = Count.Add(Count.Add(parameters, norm), cross.Parameters);
                }

                int block = blocks?[i] ?? 0;
                bool poolsBefore = blocks is not null && i > 0 && blocks[i] != blocks[i - 1];
                bool pooledQueries = poolsBefore && FunnelLayout.TakesPooledQueries(mixer.Spec);
                var layer = new LayerPlan(i, mixer, cross, parameters, block, poolsBefore, pooledQueries);
                stack.Layers.Add(layer);
                if (poolsBefore && field is { } before)
                {
                    field = Count.Add(before, stride);
                    stride = Count.Mul(stride, 2);
                }

                if (mixer.Reach is { } reach && field is { } f)
                {
                    field = Count.Add(f, Count.Mul(reach, stride));
                }
                else if (field is not null)
                {
                    field = null;
                    stack.UnboundedLayer = layer;
                }
            }

            stack.ReceptiveField = field;

            long total = Count.Mul(stack.Vocabulary, width);                        // embed
            if (o.Positions == Specs.PositionalEncoding.Learned)
            {
                total = Count.Add(total, Count.Mul(o.MaxLength, width));             // positions
            }

            foreach (LayerPlan layer in stack.Layers)
            {
                total = Count.Add(total, layer.ParameterCount);
            }

            if (o.Norm == Specs.NormPlacement.Pre)
            {
                total = Count.Add(total, norm);                                      // final norm
            }

            if (stack.HasOutput && !stack.Tied)
            {
                total = Count.Add(total, Count.Mul(stack.Vocabulary, width));        // output
            }

            stack.ParameterCount = total;
            return stack;
        }

        /// <summary>What the decoder's cross sublayer uses when no mixer is marked Cross.</summary>
        private static MixerSpec DefaultCross() => new MixerSpec(
            MixerKind.SelfAttention, "SelfAttention", null, true, Defaults.Heads, EquatableArray<int>.Empty,
            Defaults.Glu, Defaults.WeightSoftmax, Defaults.FeatureMap, Defaults.Synthesizer, 0, 0, Defaults.Cell, false,
            Defaults.Score, Defaults.Distribution, Defaults.LshBuckets, Defaults.LshRounds, Defaults.LshChunkSize, 0, null);

        private static List<int> Selection(string? text, int depth)
        {
            if (text is not null && LayerSelection.Parse(text, out var items) is null && LayerSelection.Resolve(items, depth, out var layers) is null)
            {
                return layers;
            }

            var all = new List<int>(depth);
            for (int i = 0; i < depth; i++)
            {
                all.Add(i);
            }

            return all;
        }
    }

    /// <summary>One layer of a stack.</summary>
    internal sealed class LayerPlan
    {
        public LayerPlan(int index, MixerUse mixer, MixerUse? cross, long parameterCount, int block = 0, bool poolsBefore = false, bool pooledQueries = false)
        {
            Index = index;
            Mixer = mixer;
            Cross = cross;
            ParameterCount = parameterCount;
            Block = block;
            PoolsBefore = poolsBefore;
            PooledQueries = pooledQueries;
            Cost = FunnelLayout.Cost(mixer.Cost, block, pooledQueries);
        }

        /// <summary>The Funnel block the layer is in (0 for the first, and in every stack without Funnel).</summary>
        public int Block { get; }

        /// <summary>Whether the sequence is pooled just before this layer: it starts a Funnel block after the first.</summary>
        public bool PoolsBefore { get; }

        /// <summary>Whether this layer, starting a pooled block, attends from the pooled sequence to the one before
        /// pooling (its mixer can); otherwise it sees the pooled sequence alone.</summary>
        public bool PooledQueries { get; }

        /// <summary>The cost class at the length the layer sees, e.g. <c>O((T/2)²)</c> in a second Funnel block.</summary>
        public string Cost { get; }

        public int Index { get; }

        public MixerUse Mixer { get; }

        public MixerUse? Cross { get; }

        /// <summary>Trainable scalars of the layer: norms, mixers and feed-forward.</summary>
        public long ParameterCount { get; }

        /// <summary>The layer's property name on the stack: <c>Layer3</c>.</summary>
        public string Property => "Layer" + Text.Invariant(Index);
    }

    /// <summary>A mixer as one layer uses it: the declaration, this layer's kernel and what follows from them.</summary>
    internal sealed class MixerUse
    {
        public MixerUse(MixerSpec spec, bool isCross, int kernel, ModelPlan model, bool causal)
        {
            Spec = spec;
            IsCross = isCross;
            Kernel = kernel;
            int maxLength = model.Options.MaxLength;
            Class = MixerCatalog.Class(spec, isCross);
            Options = MixerCatalog.Options(spec, isCross, maxLength);
            State = MixerCatalog.State(spec, isCross);
            Parameters = MixerCatalog.Parameters(spec, isCross, model.Width, kernel, maxLength);
            Reach = MixerCatalog.Reach(spec, kernel, causal);
            Label = MixerCatalog.Label(spec, kernel, maxLength);
            Setting = MixerCatalog.Setting(spec, kernel, maxLength);
            Cost = MixerCatalog.Cost(spec.Kind);
        }

        public MixerSpec Spec { get; }

        public bool IsCross { get; }

        public int Kernel { get; }

        public string Class { get; }

        public string? Options { get; }

        /// <summary>The typed decoding state; for a cross mixer null when it keeps none.</summary>
        public string? State { get; }

        public long Parameters { get; }

        public long? Reach { get; }

        public string Label { get; }

        public string Setting { get; }

        public string Cost { get; }
    }
}
