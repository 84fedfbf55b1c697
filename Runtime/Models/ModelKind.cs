namespace Composer.Models;

/// <summary>The three shapes of model a declaration can have.</summary>
public enum ModelKind
{
    /// <summary>Decoder-only language model: tokens → next-token logits.</summary>
    LanguageModel,
    /// <summary>Encoder–decoder: source tokens → target-token logits.</summary>
    Seq2Seq,
    /// <summary>Encoder-only classifier: tokens → class logits.</summary>
    Classifier,
}
