using Composer;
using Composer.Samples;
using Composer.Samples.Probes;

// Every sample is a choice of this one executable; the generator emits its Main.
[assembly: TrainingExecutable(
    typeof(TransformerLm),
    typeof(LightConvLm),
    typeof(DynamicConvLm),
    typeof(LinearTransformerLm),
    typeof(HybridLm),
    typeof(ConvTranslator),
    typeof(AttentionClassifier),
    typeof(AttentionProbe),
    typeof(LinearAttentionProbe),
    typeof(LightConvProbe),
    typeof(ShortConvProbe),
    typeof(DynamicConvProbe),
    typeof(RecurrentProbe),
    typeof(AdditiveAttentionProbe),
    typeof(FunnelProbe),
    typeof(PapaAttentionProbe))]
