using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Composer.Generator
{
    /// <summary>
    /// The compilation's syntax trees, compared by identity, so a reported diagnostic can carry a real
    /// source location (<c>#pragma warning disable</c> and per-file severities need the tree). Only the
    /// final reporting step reads it; every spec upstream stays free of syntax.
    /// </summary>
    internal sealed class SourceTrees : IEquatable<SourceTrees>
    {
        private readonly ImmutableArray<SyntaxTree> _trees;

        public SourceTrees(Compilation compilation)
        {
            _trees = compilation.SyntaxTrees.ToImmutableArray();
        }

        public SyntaxTree? Find(string path)
        {
            foreach (SyntaxTree tree in _trees)
            {
                if (tree.FilePath == path)
                {
                    return tree;
                }
            }

            return null;
        }

        public bool Equals(SourceTrees? other)
        {
            if (other is null || other._trees.Length != _trees.Length)
            {
                return false;
            }

            for (int i = 0; i < _trees.Length; i++)
            {
                if (!ReferenceEquals(_trees[i], other._trees[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as SourceTrees);

        public override int GetHashCode() => _trees.Length;
    }
}
