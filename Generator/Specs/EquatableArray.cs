using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace Composer.Generator.Specs
{
    /// <summary>
    /// An immutable array compared by its elements, so specs that hold lists keep value equality and
    /// the incremental pipeline can tell an unchanged model from a changed one. The default value is
    /// the empty array. Elements are compared with their default equality (records and enums by value).
    /// </summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    {
        private readonly ImmutableArray<T> _items;

        public EquatableArray(ImmutableArray<T> items)
        {
            _items = items;
        }

        public static EquatableArray<T> Empty => default;

        private ImmutableArray<T> Items => _items.IsDefault ? ImmutableArray<T>.Empty : _items;

        public int Count => Items.Length;

        public T this[int index] => Items[index];

        public bool IsEmpty => Count == 0;

        public bool Equals(EquatableArray<T> other)
        {
            ImmutableArray<T> a = Items, b = other.Items;
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(a[i], b[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            int hash = 17;
            foreach (T item in Items)
            {
                hash = unchecked((hash * 31) + (item is null ? 0 : item.GetHashCode()));
            }

            return hash;
        }

        public ImmutableArray<T>.Enumerator GetEnumerator() => Items.GetEnumerator();

        IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)Items).GetEnumerator();

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
    }

    internal static class EquatableArray
    {
        public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) =>
            new EquatableArray<T>(items.ToImmutableArray());

        public static EquatableArray<T> ToEquatableArray<T>(this ImmutableArray<T>.Builder items) =>
            new EquatableArray<T>(items.ToImmutable());
    }
}
