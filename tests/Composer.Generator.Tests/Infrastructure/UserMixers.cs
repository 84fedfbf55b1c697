namespace Composer.Generator.Tests.Infrastructure
{
    /// <summary>Source of a user mixer written against the real Composer.Runtime and TorchSharp, for declarations
    /// that plug one in: a position-wise gate (trivially causal, so it decodes step by step) that can
    /// also be a cross mixer (it adds the mean of the memory, so it is alignment-free).</summary>
    internal static class UserMixers
    {
        public const string Gated = """
            namespace Lab
            {
                using Composer.Layers;
                using Composer.Mixers;
                using TorchSharp;
                using static TorchSharp.torch;

                /// <summary>Nothing to remember: the gate looks at one position at a time.</summary>
                public sealed class GateState : IMixerState
                {
                    public void Reorder(Tensor indices) { }

                    public void Dispose() { }
                }

                [MixerFacts(CausalCapable = true, AlignmentFree = true, Cost = CostClass.Linear)]
                public sealed class GatedMixer : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<GateState>, ICrossMixer
                {
                    public GatedMixer(MixerContext context) : base(nameof(GatedMixer))
                    {
                        register_module("value", Value = new Linear(context.Module, context.Width, context.Width));
                        register_module("gate", Gate = new Linear(context.Module, context.Width, context.Width));
                    }

                    public Linear Value { get; }

                    public Linear Gate { get; }

                    public MixerFacts Facts { get; } = new("gate", CausalCapable: true, AlignmentFree: true, MixerNeeds.None, CostClass.Linear);

                    public override Tensor forward(Tensor x, Tensor? padding) => Value.forward(x) * Gate.forward(x).sigmoid();

                    public GateState NewState(long batchSize) => new GateState();

                    public Tensor Step(Tensor x, GateState state) => forward(x, null);

                    public Tensor forward(Tensor query, Tensor memory, Tensor? memoryPadding) =>
                        forward(query, null) + SequencePooling.Mean(memory, memoryPadding).unsqueeze(1);

                    protected override void RegisterComponents() { }
                }
            }
            """;

        /// <summary>A user mixer that needs everything a declaration can give it (heads, a kernel per
        /// layer, a window, the maximum length) and keeps the context it was built with, so a test can
        /// see what reached it. It computes nothing: the identity, trivially causal.</summary>
        public const string Windowed = """
            namespace Lab
            {
                using Composer.Layers;
                using Composer.Mixers;
                using TorchSharp;
                using static TorchSharp.torch;

                public sealed class WindowState : IMixerState
                {
                    public void Reorder(Tensor indices) { }

                    public void Dispose() { }
                }

                [MixerFacts(CausalCapable = true, Needs = MixerNeeds.Heads | MixerNeeds.Kernel | MixerNeeds.Window | MixerNeeds.MaxLength, Cost = CostClass.Window)]
                public sealed class WindowedMixer : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<WindowState>
                {
                    public WindowedMixer(MixerContext context) : base(nameof(WindowedMixer))
                    {
                        Context = context;
                    }

                    public MixerContext Context { get; }

                    public MixerFacts Facts { get; } = new("windowed", true, false, MixerNeeds.Heads | MixerNeeds.Kernel | MixerNeeds.Window | MixerNeeds.MaxLength, CostClass.Window);

                    public override Tensor forward(Tensor x, Tensor? padding) => x;

                    public WindowState NewState(long batchSize) => new WindowState();

                    public Tensor Step(Tensor x, WindowState state) => x;
                }
            }
            """;
    }
}
