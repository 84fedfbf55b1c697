namespace Composer.Data;

/// <summary>
/// What a contrastive evaluation compares for one sequence (Tang et al. 2018; MIXERS.md §11a): the
/// item is correct when the model scores <see cref="Correct"/> above <see cref="Wrong"/>.
/// </summary>
/// <param name="Position">Language models: the input position whose next-token logits are compared (the VERB). Classifiers: −1 (the class logits are compared).</param>
/// <param name="Correct">The right token id (language model) or class id (classifier).</param>
/// <param name="Wrong">The contrasting token or class id (the other verb number).</param>
/// <param name="Distance">Tokens from the subject to the verb, for accuracy per distance.</param>
public readonly record struct ContrastiveTarget(int Position, int Correct, int Wrong, int Distance);
