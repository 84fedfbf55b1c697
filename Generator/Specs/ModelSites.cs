using Composer.Generator.Diagnostics;

namespace Composer.Generator.Specs
{
    /// <summary>
    /// Where the parts of a <see cref="ModelSpec"/> were written, index for index with the spec, so
    /// validation can point a diagnostic at the offending argument.
    /// </summary>
    /// <remarks><see cref="Members"/> are the members the user declared in the model class, which the
    /// generated ones must not clash with.</remarks>
    internal sealed record ModelSites(
        LocationInfo Identifier,
        EquatableArray<LocationInfo> ContainingIdentifiers,
        AttributeSite Attribute,
        EquatableArray<AttributeSite> OtherKindAttributes,
        EquatableArray<StackSites> Stacks,
        EquatableArray<MemberSite> Members);

    /// <summary>Where a stack was written; for a stack on the model class itself these repeat the model's
    /// (and <see cref="Members"/> is empty: they are the model's). A nested stack class's
    /// <see cref="Members"/> are those the user declared in it.</summary>
    internal sealed record StackSites(LocationInfo Identifier, AttributeSite Attribute, EquatableArray<AttributeSite> Mixers, EquatableArray<MemberSite> Members);

    /// <summary>
    /// A member the user declared in a class Composer generates into: its name (unescaped), what it is
    /// (<c>field</c>, <c>property</c>, <c>event</c>, <c>method</c>, <c>constructor</c>, <c>class</c>, …)
    /// and, for a method or constructor, its <see cref="Signature"/>: the generic arity and the parameter
    /// types, fully qualified (<c>`0(global::TorchSharp.torch.Tensor, long)</c>), which decides whether
    /// it overloads a generated method or clashes with it. Explicit interface implementations, indexers,
    /// operators, finalizers and static constructors never clash by name and are left out.
    /// </summary>
    internal sealed record MemberSite(string Name, string Kind, string? Signature, LocationInfo Location);

    /// <summary>An attribute's name and the arguments written in it.</summary>
    internal sealed record AttributeSite(LocationInfo Name, EquatableArray<ArgumentSite> Arguments)
    {
        /// <summary>Whether the argument was written, whatever its value.</summary>
        public bool Has(string argument) => Find(argument) is not null;

        /// <summary>Whether the argument was written with a value the compiler computed (not null, not an
        /// expression that does not bind): the value in the spec is the user's.</summary>
        public bool HasValue(string argument) => Find(argument) is { Value: ArgumentValue.Constant };

        /// <summary>Whether the argument was written as <c>null</c>.</summary>
        public bool IsNull(string argument) => Find(argument) is { Value: ArgumentValue.Null };

        /// <summary>Whether the argument was written but the compiler could not compute its value (it
        /// reports why); the spec holds the option's default there, which no rule may judge.</summary>
        public bool IsUnknown(string argument) => Find(argument) is { Value: ArgumentValue.Unknown };

        /// <summary>Whether any argument's value is unknown.</summary>
        public bool HasUnknown
        {
            get
            {
                foreach (ArgumentSite site in Arguments)
                {
                    if (site.Value == ArgumentValue.Unknown)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>The argument, or the attribute's name when the argument was not written (a default
        /// value is at fault).</summary>
        public LocationInfo Of(string argument) => Find(argument)?.Location ?? Name;

        /// <summary>One element of an array argument, falling back to the whole argument.</summary>
        public LocationInfo Element(string argument, int index)
        {
            ArgumentSite? site = Find(argument);
            if (site is null)
            {
                return Name;
            }

            return index >= 0 && index < site.Elements.Count ? site.Elements[index] : site.Location;
        }

        private ArgumentSite? Find(string argument)
        {
            foreach (ArgumentSite site in Arguments)
            {
                if (site.Name == argument)
                {
                    return site;
                }
            }

            return null;
        }
    }

    /// <summary>A written argument; <see cref="Elements"/> holds the element locations of an array value,
    /// <see cref="Value"/> what the compiler made of it.</summary>
    internal sealed record ArgumentSite(string Name, LocationInfo Location, EquatableArray<LocationInfo> Elements, ArgumentValue Value);

    /// <summary>What a written argument's value is.</summary>
    internal enum ArgumentValue
    {
        /// <summary>A constant the compiler computed.</summary>
        Constant,

        /// <summary>The <c>null</c> literal (for an array or string option).</summary>
        Null,

        /// <summary>An expression the compiler could not compute (a name that does not bind, a value of the
        /// wrong type): the compiler reports it, and Composer stays silent about it.</summary>
        Unknown,
    }
}
