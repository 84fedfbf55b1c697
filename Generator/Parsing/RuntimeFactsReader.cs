using System.Collections.Immutable;
using Composer.Generator.Emit;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;

namespace Composer.Generator.Parsing
{
    /// <summary>Reads <see cref="RuntimeFacts"/> from a compilation: about twenty name lookups, once per
    /// compilation; the result is equal across edits, so nothing downstream re-runs because of it.</summary>
    internal static class RuntimeFactsReader
    {
        public static RuntimeFacts Read(Compilation compilation)
        {
            if (compilation.GetTypeByMetadataName(KnownNames.RuntimeMarker) is null)
            {
                return new RuntimeFacts(false, EquatableArray<string>.Empty);
            }

            var missing = ImmutableArray.CreateBuilder<string>();
            foreach (string name in MixerCatalog.MetadataNames)
            {
                if (compilation.GetTypeByMetadataName(name) is null)
                {
                    missing.Add(name);
                }
            }

            return new RuntimeFacts(true, missing.ToEquatableArray());
        }
    }
}
