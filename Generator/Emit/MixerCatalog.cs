using Composer.Generator.Specs;

namespace Composer.Generator.Emit
{
    /// <summary>
    /// How each declared mixer becomes runtime code: its Composer.Mixers class, the options record the
    /// declaration fills, the decoding state it keeps, how many parameters it has (for the compile-time
    /// count), its cost class and how far it reaches along the sequence. One place to change when a
    /// runtime mixer changes; a test compares the counts with the runtime modules.
    /// </summary>
    internal static class MixerCatalog
    {
        /// <summary>The runtime class constructed for the mixer.</summary>
        public static string Class(MixerSpec mixer, bool cross) =>
            mixer.Kind == MixerKind.User ? mixer.User!.FullName : "global::" + MetadataName(mixer, cross);

        /// <summary>Every runtime class a built-in mixer may be generated as.</summary>
        public static readonly string[] MetadataNames = BuildMetadataNames();

        private static string[] BuildMetadataNames()
        {
            var names = new System.Collections.Generic.List<string>();
            foreach (MixerKind kind in System.Enum.GetValues(typeof(MixerKind)))
            {
                if (kind == MixerKind.User)
                {
                    continue;
                }

                foreach (bool cross in new[] { false, true })
                {
                    string name = MetadataName(kind, cross);
                    if (!names.Contains(name))
                    {
                        names.Add(name);
                    }
                }
            }

            names.Add(Location);
            return names.ToArray();
        }

        /// <summary>Scored attention with the location-based score has a runtime class of its own: no keys,
        /// parameters shaped by MaxLength, a values-only decoding state.</summary>
        private const string Location = "Composer.Mixers.LocationAttention";

        /// <summary>The metadata name of the runtime class a built-in mixer is generated as (see
        /// <see cref="MetadataName(MixerKind, bool)"/>; options can choose a class of their own).</summary>
        public static string MetadataName(MixerSpec mixer, bool cross) =>
            !cross && Validation.MixerTraits.IsLocationScore(mixer) ? Location : MetadataName(mixer.Kind, cross);

        /// <summary>The metadata name of a built-in mixer's runtime class (the parser checks that the
        /// referenced Runtime has it).</summary>
        public static string MetadataName(MixerKind kind, bool cross) => "Composer.Mixers." + (cross
            ? CrossClass(kind)
            : kind switch
            {
                MixerKind.Recurrent => "RecurrentMixer",
                _ => kind.ToString(),
            });

        /// <summary>The built-in cross mixers: softmax and sparsemax attention share CrossAttention;
        /// linear and Taylor attention attend to a memory with their own kernels.</summary>
        private static string CrossClass(MixerKind kind) => kind switch
        {
            MixerKind.LinearAttention => "LinearCrossAttention",
            MixerKind.TaylorAttention => "TaylorCrossAttention",
            MixerKind.ScoredAttention => "ScoredCrossAttention",
            _ => "CrossAttention",
        };

        /// <summary>The options argument of a built-in mixer's constructor; null for a user mixer, whose
        /// constructor takes the context only.</summary>
        public static string? Options(MixerSpec mixer, bool cross, int maxLength)
        {
            string type = RuntimeNames.Mixers + (cross ? CrossClass(mixer.Kind)
                : mixer.Kind == MixerKind.Recurrent ? "Recurrent"
                : Validation.MixerTraits.IsLocationScore(mixer) ? "LocationAttention"
                : mixer.Kind.ToString()) + "Options";
            string score = "Score: " + RuntimeNames.AttentionScore + "." + mixer.Score;
            string distribution = "Distribution: " + RuntimeNames.AttentionDistribution + "." + mixer.Distribution;
            return mixer.Kind switch
            {
                MixerKind.User => null,
                MixerKind.ScoredAttention when !cross && Validation.MixerTraits.IsLocationScore(mixer) => "new " + type + "(" + distribution + ")",
                MixerKind.ScoredAttention => "new " + type + "(" + score + ", " + distribution + ")",
                MixerKind.PredictiveLocalAttention => "new " + type + "(Window: " + Text.Invariant(mixer.Window) + ")",
                MixerKind.LshAttention => "new " + type + "(Buckets: " + Text.Invariant(mixer.Buckets) + ", Rounds: " + Text.Invariant(mixer.Rounds)
                    + ", ChunkSize: " + Text.Invariant(mixer.ChunkSize) + ", Seed: " + Text.Invariant(mixer.Seed) + ")",
                MixerKind.SparsemaxAttention when cross => "new " + type + "(Sparsemax: true)",
                MixerKind.LightweightConvolution or MixerKind.DynamicConvolution =>
                    "new " + type + "(Glu: " + Bool(mixer.Glu) + ", WeightSoftmax: " + Bool(mixer.WeightSoftmax) + ")",
                MixerKind.LinearAttention => "new " + type + "(FeatureMap: " + RuntimeNames.FeatureMap + "." + mixer.FeatureMap + ")",
                MixerKind.SynthesizerAttention => "new " + type + "(Kind: " + RuntimeNames.SynthesizerKind + "." + mixer.Synthesizer + ")",
                MixerKind.Linformer => "new " + type + "(ProjectedLength: " + Text.Invariant(ProjectedLength(mixer, maxLength)) + ")",
                MixerKind.LocalAttention => "new " + type + "(Window: " + Text.Invariant(mixer.Window) + ")",
                MixerKind.Recurrent => "new " + type + "(Cell: " + RuntimeNames.RecurrentCell + "." + mixer.Cell + ", Bidirectional: " + Bool(mixer.Bidirectional) + ")",
                _ => "new " + type + "()",
            };
        }

        /// <summary>The decoding state a causal mixer keeps between steps, or for a cross mixer what it
        /// keeps of the memory; null when a cross mixer keeps nothing (it then sees the memory each step).</summary>
        public static string? State(MixerSpec mixer, bool cross)
        {
            if (cross)
            {
                return mixer.Kind switch
                {
                    MixerKind.User => mixer.User!.CrossStateType,
                    MixerKind.LinearAttention or MixerKind.TaylorAttention => RuntimeNames.Mixers + "LinearAttentionState",
                    _ => RuntimeNames.Mixers + "CrossAttentionCache",
                };
            }

            return mixer.Kind switch
            {
                MixerKind.User => mixer.User!.StateType,
                MixerKind.ScoredAttention when Validation.MixerTraits.IsLocationScore(mixer) => RuntimeNames.Mixers + "PositionMixingCache",
                MixerKind.SelfAttention or MixerKind.LocalAttention or MixerKind.SparsemaxAttention or MixerKind.ScoredAttention
                    or MixerKind.PredictiveLocalAttention or MixerKind.MultiDimensionalAttention or MixerKind.LshAttention => RuntimeNames.Mixers + "KeyValueCache",
                MixerKind.LightweightConvolution or MixerKind.DynamicConvolution => RuntimeNames.Mixers + "ConvolutionWindow",
                MixerKind.LinearAttention or MixerKind.TaylorAttention => RuntimeNames.Mixers + "LinearAttentionState",
                MixerKind.ConstantAttention or MixerKind.SynthesizerAttention => RuntimeNames.Mixers + "PositionMixingCache",
                MixerKind.Recurrent => RuntimeNames.Mixers + "RecurrentState",
                _ => null,
            };
        }

        /// <summary>Whether the mixer has heads to pass in its <c>MixerContext</c> (a user mixer when its facts need them).</summary>
        public static bool HasHeads(MixerSpec mixer) => Validation.MixerTraits.Needs(mixer, MixerNeeds.Heads);

        /// <summary>The window a user mixer that needs one gets in its <c>MixerContext</c> (local attention
        /// takes its window from its options), or 0.</summary>
        public static int ContextWindow(MixerSpec mixer) =>
            mixer.Kind == MixerKind.User && Validation.MixerTraits.Needs(mixer, MixerNeeds.Window) ? mixer.Window : 0;

        /// <summary>Linformer's projected length: as declared, or MaxLength / 4 (at least 1).</summary>
        public static int ProjectedLength(MixerSpec mixer, int maxLength) =>
            mixer.ProjectedLength > 0 ? mixer.ProjectedLength : System.Math.Max(1, maxLength / Defaults.LinformerCompression);

        /// <summary>Trainable scalars of one instance; 0 for a user mixer (unknown until it is built).</summary>
        public static long Parameters(MixerSpec mixer, bool cross, long width, long kernel, long maxLength)
        {
            long c = width;
            long linear = Count.Add(Count.Mul(c, c), c);            // Linear(C, C) with bias
            long attention = Count.Mul(4, linear);                   // Q, K, V and output projections
            if (mixer.Kind == MixerKind.User)
            {
                return 0;
            }

            // A key-based score's own weights: bilinear (H, D, D) = Width × Width / Heads, additive (H, D) = Width.
            long score = mixer.Kind != MixerKind.ScoredAttention || mixer.Heads <= 0 ? 0 : mixer.Score switch
            {
                Specs.AttentionScore.General => Count.Mul(c, c / mixer.Heads),
                Specs.AttentionScore.Additive => c,
                _ => 0,
            };
            if (cross)
            {
                return Count.Add(attention, score);
            }

            switch (mixer.Kind)
            {
                case MixerKind.SelfAttention:
                case MixerKind.LocalAttention:
                case MixerKind.SparsemaxAttention:
                case MixerKind.LinearAttention:
                case MixerKind.TaylorAttention:
                case MixerKind.MultiDimensionalAttention:
                    return attention;
                case MixerKind.ScoredAttention when Validation.MixerTraits.IsLocationScore(mixer):
                    // qv_proj (C → 2C), out_proj, and location weights (H, MaxLength, D) = MaxLength × Width.
                    return Count.Add(Count.Mul(3, linear), Count.Mul(maxLength, c));
                case MixerKind.ScoredAttention:
                    return Count.Add(attention, score);
                case MixerKind.PredictiveLocalAttention:
                    // + centre_proj (C → C, no bias) and centre_vector (H, C).
                    return Count.Add(attention, Count.Add(Count.Mul(c, c), Count.Mul(mixer.Heads, c)));
                case MixerKind.LshAttention:
                    // in_proj (C → 2C, shared QK and V) and out_proj; the rotations are a buffer.
                    return Count.Mul(3, linear);
                case MixerKind.LightweightConvolution:
                case MixerKind.DynamicConvolution:
                {
                    // GLU input projection C → 2C (or C → C), output projection C → C, and the kernels:
                    // H·K shared weights, or a Linear(C, H·K) without bias predicting them.
                    long input = mixer.Glu ? Count.Mul(2, linear) : linear;
                    long kernels = mixer.Kind == MixerKind.LightweightConvolution
                        ? Count.Mul(mixer.Heads, kernel)
                        : Count.Mul(c, Count.Mul(mixer.Heads, kernel));
                    return Count.Add(Count.Add(input, linear), kernels);
                }

                case MixerKind.ConstantAttention:
                    return Count.Mul(2, linear);                     // values and output; the matrix is a buffer
                case MixerKind.SynthesizerAttention:
                {
                    long h = mixer.Heads;
                    long logits = mixer.Synthesizer == Specs.SynthesizerKind.Random
                        ? Count.Mul(h, Count.Mul(maxLength, maxLength))
                        : Count.Add(Count.Mul(h, Count.Add(Count.Mul(c, c), c)), Count.Mul(h, Count.Add(Count.Mul(maxLength, c), maxLength)));
                    return Count.Add(logits, Count.Mul(2, linear));
                }

                case MixerKind.Linformer:
                    return Count.Add(attention, Count.Mul(2, Count.Mul(ProjectedLength(mixer, (int)maxLength), maxLength)));
                case MixerKind.Recurrent:
                {
                    long hidden = mixer.Bidirectional ? c / 2 : c;
                    long gates = (mixer.Cell == Specs.RecurrentCell.Lstm ? 4 : 3) * hidden;
                    long direction = Count.Add(Count.Mul(gates, Count.Add(c, hidden)), Count.Mul(2, gates));
                    return mixer.Bidirectional ? Count.Mul(2, direction) : direction;
                }

                default:
                    return 0;
            }
        }

        /// <summary>
        /// The widest projection the runtime builds for one use of the mixer, as a multiple of Width that
        /// it computes in 32-bit ints (<c>new Linear(…, 3 * Width)</c>): what it is and its width, or null
        /// when nothing is wider than Width. The validator checks it fits (CMP0036).
        /// </summary>
        public static (string What, long Width)? WidestProjection(MixerSpec mixer, bool cross, long width)
        {
            if (mixer.Kind == MixerKind.User)
            {
                return null;
            }

            if (cross)
            {
                return ("key and value projection, 2 × Width", Count.Mul(2, width));
            }

            switch (mixer.Kind)
            {
                case MixerKind.ScoredAttention when Validation.MixerTraits.IsLocationScore(mixer):
                    return ("query and value projection, 2 × Width", Count.Mul(2, width));
                case MixerKind.SelfAttention:
                case MixerKind.LocalAttention:
                case MixerKind.SparsemaxAttention:
                case MixerKind.LinearAttention:
                case MixerKind.TaylorAttention:
                case MixerKind.ScoredAttention:
                case MixerKind.PredictiveLocalAttention:
                case MixerKind.MultiDimensionalAttention:
                    return ("query, key and value projection, 3 × Width", Count.Mul(3, width));
                case MixerKind.LshAttention:
                    return ("shared query-key and value projection, 2 × Width", Count.Mul(2, width));
                case MixerKind.LightweightConvolution:
                case MixerKind.DynamicConvolution:
                    return mixer.Glu ? ("GLU input projection, 2 × Width", Count.Mul(2, width)) : null;
                case MixerKind.Recurrent:
                {
                    int gates = mixer.Cell == Specs.RecurrentCell.Lstm ? 4 : 3;
                    string cell = mixer.Cell.ToString().ToUpperInvariant() + " gates, " + Text.Invariant(gates) + " × Width";
                    return mixer.Bidirectional
                        ? (cell + " / 2 per direction", Count.Mul(gates, width / 2))
                        : (cell, Count.Mul(gates, width));
                }
                default:
                    return null;
            }
        }

        /// <summary>How many positions beyond itself the mixer lets a position see (the width of its
        /// window minus one), or null when it sees the whole sequence.</summary>
        public static long? Reach(MixerSpec mixer, long kernel, bool causal) => mixer.Kind switch
        {
            MixerKind.LightweightConvolution or MixerKind.DynamicConvolution => kernel - 1,
            MixerKind.LocalAttention => causal ? mixer.Window : Count.Mul(2, mixer.Window),
            // A decoder's centre lies within Window before the query, its window within Window of the centre;
            // an encoder's centre may be anywhere.
            MixerKind.PredictiveLocalAttention when causal => Count.Mul(2, mixer.Window),
            _ => null,
        };

        /// <summary>The cost class as the summary shows it.</summary>
        public static string Cost(MixerKind kind) => kind switch
        {
            MixerKind.LightweightConvolution or MixerKind.DynamicConvolution or MixerKind.LocalAttention or MixerKind.PredictiveLocalAttention => "O(T·K)",
            MixerKind.LshAttention => "O(T·log T)",
            MixerKind.LinearAttention or MixerKind.TaylorAttention or MixerKind.Linformer or MixerKind.Recurrent => "O(T)",
            MixerKind.User => "?",
            _ => "O(T²)",
        };

        /// <summary>The mixer with its shape-deciding options, as the summary's mixer column shows it.</summary>
        public static string Label(MixerSpec mixer, int kernel, int maxLength)
        {
            switch (mixer.Kind)
            {
                case MixerKind.User:
                    return mixer.User!.DisplayName + UserOptions(mixer, kernel, "K=", "H=", "W=", "(", ")");
                case MixerKind.LightweightConvolution:
                case MixerKind.DynamicConvolution:
                    return mixer.Kind + "(K=" + Text.Invariant(kernel) + ", H=" + Text.Invariant(mixer.Heads) + ")";
                case MixerKind.LocalAttention:
                case MixerKind.PredictiveLocalAttention:
                    return mixer.Kind + "(W=" + Text.Invariant(mixer.Window) + ", H=" + Text.Invariant(mixer.Heads) + ")";
                case MixerKind.ScoredAttention:
                    return mixer.Kind + "(" + mixer.Score + ", " + mixer.Distribution + ", H=" + Text.Invariant(mixer.Heads) + ")";
                case MixerKind.MultiDimensionalAttention:
                    return mixer.Kind.ToString();
                case MixerKind.LshAttention:
                    return mixer.Kind + "(buckets=" + Text.Invariant(mixer.Buckets) + ", rounds=" + Text.Invariant(mixer.Rounds)
                        + ", chunk=" + Text.Invariant(mixer.ChunkSize) + ", H=" + Text.Invariant(mixer.Heads) + ")";
                case MixerKind.Linformer:
                    return mixer.Kind + "(k=" + Text.Invariant(ProjectedLength(mixer, maxLength)) + ", H=" + Text.Invariant(mixer.Heads) + ")";
                case MixerKind.LinearAttention:
                    return mixer.Kind + "(" + mixer.FeatureMap + ", H=" + Text.Invariant(mixer.Heads) + ")";
                case MixerKind.SynthesizerAttention:
                    return mixer.Kind + "(" + mixer.Synthesizer + ", H=" + Text.Invariant(mixer.Heads) + ")";
                case MixerKind.Recurrent:
                    return (mixer.Bidirectional ? "Bidirectional" : string.Empty) + mixer.Cell.ToString().ToUpperInvariant();
                default:
                    return mixer.Kind + "(H=" + Text.Invariant(mixer.Heads) + ")";
            }
        }

        /// <summary>Every option of the mixer as invariant text in a fixed order: its part of the
        /// model's settings and fingerprint.</summary>
        public static string Setting(MixerSpec mixer, int kernel, int maxLength)
        {
            string heads = "Heads = " + Text.Invariant(mixer.Heads);
            string options = mixer.Kind switch
            {
                MixerKind.User => "Type = " + mixer.User!.FullName + UserOptions(mixer, kernel, "Kernel = ", "Heads = ", "Window = ", ", ", string.Empty),
                MixerKind.LightweightConvolution or MixerKind.DynamicConvolution =>
                    heads + ", Kernel = " + Text.Invariant(kernel) + ", Glu = " + Bool(mixer.Glu) + ", WeightSoftmax = " + Bool(mixer.WeightSoftmax),
                MixerKind.LinearAttention => heads + ", FeatureMap = " + mixer.FeatureMap,
                MixerKind.SynthesizerAttention => heads + ", Kind = " + mixer.Synthesizer,
                MixerKind.Linformer => heads + ", ProjectedLength = " + Text.Invariant(ProjectedLength(mixer, maxLength)),
                MixerKind.LocalAttention or MixerKind.PredictiveLocalAttention => heads + ", Window = " + Text.Invariant(mixer.Window),
                MixerKind.ScoredAttention => heads + ", Score = " + mixer.Score + ", Distribution = " + mixer.Distribution,
                MixerKind.MultiDimensionalAttention => string.Empty,
                MixerKind.LshAttention => heads + ", Buckets = " + Text.Invariant(mixer.Buckets) + ", Rounds = " + Text.Invariant(mixer.Rounds)
                    + ", ChunkSize = " + Text.Invariant(mixer.ChunkSize) + ", Seed = " + Text.Invariant(mixer.Seed),
                MixerKind.Recurrent => "Cell = " + mixer.Cell + ", Bidirectional = " + Bool(mixer.Bidirectional),
                _ => heads,
            };
            string name = mixer.Kind == MixerKind.User ? "Mixer" : mixer.Kind.ToString();
            return name + "(" + options + ")";
        }

        /// <summary>The options a user mixer needs, as the label or the setting writes them (empty when none).</summary>
        private static string UserOptions(MixerSpec mixer, int kernel, string kernelName, string headsName, string windowName, string open, string close)
        {
            var options = new System.Collections.Generic.List<string>();
            if (Validation.MixerTraits.Needs(mixer, MixerNeeds.Kernel))
            {
                options.Add(kernelName + Text.Invariant(kernel));
            }

            if (Validation.MixerTraits.Needs(mixer, MixerNeeds.Heads))
            {
                options.Add(headsName + Text.Invariant(mixer.Heads));
            }

            if (Validation.MixerTraits.Needs(mixer, MixerNeeds.Window))
            {
                options.Add(windowName + Text.Invariant(mixer.Window));
            }

            return options.Count == 0 ? string.Empty : open + string.Join(", ", options) + close;
        }

        private static string Bool(bool value) => value ? "true" : "false";
    }
}
