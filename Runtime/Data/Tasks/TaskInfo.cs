using System.Collections.Generic;
using Composer.Models;

namespace Composer.Data.Tasks;

/// <summary>What a built-in task is, for <c>--help</c> and for checking a <c>--task</c> choice.</summary>
/// <param name="Name">What <c>--task</c> takes.</param>
/// <param name="Description">One line.</param>
/// <param name="Kinds">The model kinds it can train.</param>
/// <param name="Vocabulary">Token ids it needs (a model's vocabulary must be at least this).</param>
/// <param name="Settings">The <see cref="TaskOptions"/> settings it takes, with their defaults.</param>
/// <param name="Tokenizer">How its token ids read as text (for <c>generate</c> without building the data).</param>
public sealed record TaskInfo(string Name, string Description, IReadOnlyList<ModelKind> Kinds, int Vocabulary, IReadOnlyList<string> Settings, ITokenizer Tokenizer);
