using System.Collections.Immutable;
using System.Threading;
using Composer.Generator.Diagnostics;
using Composer.Generator.Specs;
using static Composer.Generator.Diagnostics.DiagnosticDescriptors;

namespace Composer.Generator.Validation
{
    /// <summary>Validate stage for stack and mixer attributes placed where they have no effect
    /// (CMP0006, CMP0007).</summary>
    internal static class PlacementValidator
    {
        public static EquatableArray<DiagnosticInfo> Validate(PlacementSpec placement, CancellationToken cancellationToken)
        {
            if (placement.HasHome)
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            var descriptor = placement.IsMixer ? MixerOutsideStackError : StackOutsideSeq2SeqError;
            var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
            foreach (LocationInfo site in placement.Sites)
            {
                diagnostics.Add(DiagnosticInfo.Create(descriptor, site, placement.Attribute, placement.ClassName));
            }

            return diagnostics.ToEquatableArray();
        }
    }
}
