using System;

namespace Composer.Data;

/// <summary>
/// Turns text into token ids and back, for prompts and for showing what a model generated. Ids are
/// in [0, <see cref="Vocabulary"/>); the reserved ids of <see cref="SpecialTokens"/> mean the same in
/// every tokenizer.
/// </summary>
public interface ITokenizer
{
    /// <summary>Number of ids the tokenizer can produce (what a model's vocabulary must cover).</summary>
    int Vocabulary { get; }

    /// <summary>The ids of <paramref name="text"/> (no BOS/EOS added).</summary>
    /// <exception cref="DataException">The text holds something this tokenizer has no id for.</exception>
    int[] Encode(string text);

    /// <summary>Readable text for <paramref name="ids"/>; special ids are shown as <c>&lt;pad&gt;</c>, <c>&lt;bos&gt;</c>, <c>&lt;eos&gt;</c>.</summary>
    string Decode(ReadOnlySpan<long> ids);
}
