using Composer.Generator.Specs;

namespace Composer.Generator.Parsing
{
    /// <summary>
    /// The named arguments of one attribute application, however they were read: bound by the compiler
    /// (<see cref="AttributeReader"/>) or evaluated from the syntax (<see cref="SyntaxAttributeValues"/>).
    /// An option that was not written, or whose value is not of the option's type, reads as the fallback.
    /// </summary>
    internal interface IAttributeValues
    {
        int Int(string name, int fallback);

        double Double(string name, double fallback);

        bool Bool(string name, bool fallback);

        /// <summary>An enum option as its underlying number.</summary>
        int Enum(string name, int fallback);

        string? String(string name);

        /// <summary>An int[] option; empty when not written or null.</summary>
        EquatableArray<int> Ints(string name);
    }
}
