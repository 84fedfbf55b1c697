using Composer.Generator.Diagnostics;

namespace Composer.Generator.Specs
{
    /// <summary>
    /// A stack or mixer attribute and whether it sits where it has an effect: [Encoder]/[Decoder]
    /// directly inside a [Seq2Seq] class, mixers on a model or stack class.
    /// </summary>
    internal sealed record PlacementSpec(bool IsMixer, string Attribute, string ClassName, bool HasHome, EquatableArray<LocationInfo> Sites);
}
