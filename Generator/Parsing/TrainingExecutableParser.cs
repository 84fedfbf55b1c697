using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Composer.Generator.Diagnostics;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Parsing
{
    /// <summary>Parse stage for <c>[assembly: TrainingExecutable(…)]</c>.</summary>
    internal static class TrainingExecutableParser
    {
        public static ParsedTrainingExecutable? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.Attributes.IsEmpty)
            {
                return null;
            }

            AttributeData attribute = context.Attributes[0];
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            LocationInfo name = syntax is null ? LocationInfo.From(context.TargetNode) : LocationInfo.From(syntax.Name);

            ImmutableArray<TypedConstant> values = attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0] is { Kind: TypedConstantKind.Array, IsNull: false } array
                    ? array.Values
                    : ImmutableArray<TypedConstant>.Empty;

            var models = values.Select(v => v.Kind == TypedConstantKind.Error
                ? new TrainedModelSpec("?", "?", IsModel: false, IsResolved: false)
                : Describe(v.Value as ITypeSymbol)).ToEquatableArray();
            OutputKind output = context.SemanticModel.Compilation.Options.OutputKind;
            bool isExecutable = output is OutputKind.ConsoleApplication or OutputKind.WindowsApplication or OutputKind.WindowsRuntimeApplication;
            bool hasRuntime = context.SemanticModel.Compilation.GetTypeByMetadataName(KnownNames.RuntimeMarker) is not null;
            bool bound = attribute.AttributeConstructor is not null && attribute.ConstructorArguments.All(a => a.Kind != TypedConstantKind.Error);
            var spec = new TrainingExecutableSpec(models, Describe(output), isExecutable, hasRuntime, bound);
            return new ParsedTrainingExecutable(spec, name, ModelSites(syntax, values.Length, name));
        }

        private static TrainedModelSpec Describe(ITypeSymbol? type)
        {
            if (type is null)
            {
                return new TrainedModelSpec("null", "null", IsModel: false, IsResolved: true);
            }

            if (type.TypeKind == TypeKind.Error)
            {
                return new TrainedModelSpec(type.ToDisplayString(), type.ToDisplayString(), IsModel: false, IsResolved: false);
            }

            bool isModel = type.GetAttributes().Any(a => Symbols.ModelKindOf(Symbols.ComposerAttributeName(a)) is not null);
            return new TrainedModelSpec(
                Symbols.FullName(type),
                type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                isModel,
                IsResolved: true);
        }

        private static string Describe(OutputKind kind) => kind switch
        {
            OutputKind.DynamicallyLinkedLibrary => "class library",
            OutputKind.NetModule => "module",
            OutputKind.WindowsRuntimeMetadata => "Windows Runtime metadata file",
            _ => "program",
        };

        /// <summary>One location per listed type: the <c>typeof</c> arguments written one by one, or the
        /// elements of a single array argument; the attribute's name when neither lines up.</summary>
        private static EquatableArray<LocationInfo> ModelSites(AttributeSyntax? syntax, int count, LocationInfo fallback)
        {
            SeparatedSyntaxList<AttributeArgumentSyntax> arguments = syntax?.ArgumentList?.Arguments ?? default;
            if (arguments.Count == count && count > 0 && arguments.All(a => a.Expression is TypeOfExpressionSyntax))
            {
                return arguments.Select(a => LocationInfo.From(a)).ToEquatableArray();
            }

            if (arguments.Count == 1 && AttributeReader.ElementsOf(arguments[0].Expression) is { Count: var n } elements && n == count)
            {
                return elements;
            }

            return Enumerable.Repeat(fallback, count).ToEquatableArray();
        }
    }
}
