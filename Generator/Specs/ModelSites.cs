using Composer.Generator.Diagnostics;

namespace Composer.Generator.Specs
{
    /// <summary>
    /// Where the parts of a <see cref="ModelSpec"/> were written, index for index with the spec, so
    /// validation can point a diagnostic at the offending argument.
    /// </summary>
    internal sealed record ModelSites(
        LocationInfo Identifier,
        EquatableArray<LocationInfo> ContainingIdentifiers,
        AttributeSite Attribute,
        EquatableArray<AttributeSite> OtherKindAttributes,
        EquatableArray<StackSites> Stacks);

    /// <summary>Where a stack was written; for a stack on the model class itself these repeat the model's.</summary>
    internal sealed record StackSites(LocationInfo Identifier, AttributeSite Attribute, EquatableArray<AttributeSite> Mixers);

    /// <summary>An attribute's name and the arguments written in it.</summary>
    internal sealed record AttributeSite(LocationInfo Name, EquatableArray<ArgumentSite> Arguments)
    {
        public bool Has(string argument) => Find(argument) is not null;

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

    /// <summary>A written argument; <see cref="Elements"/> holds the element locations of an array value.</summary>
    internal sealed record ArgumentSite(string Name, LocationInfo Location, EquatableArray<LocationInfo> Elements);
}
