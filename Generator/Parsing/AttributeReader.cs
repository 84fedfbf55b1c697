using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Composer.Generator.Diagnostics;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Parsing
{
    /// <summary>
    /// Reads the named arguments of one attribute application. A value the compiler could not compute
    /// (the site says which) reads as the default, so parsing never fails on broken input and no rule
    /// judges a value the user did not write; the compiler reports those errors itself.
    /// </summary>
    internal readonly struct AttributeReader : IAttributeValues
    {
        private readonly AttributeData _data;
        private readonly AttributeSite? _site;

        public AttributeReader(AttributeData data, AttributeSite? site = null)
        {
            _data = data;
            _site = site;
        }

        public int Int(string name, int fallback) =>
            TryGet(name, out TypedConstant value) && value.Value is int i ? i : fallback;

        public double Double(string name, double fallback) =>
            TryGet(name, out TypedConstant value) && value.Value is double d ? d : fallback;

        public bool Bool(string name, bool fallback) =>
            TryGet(name, out TypedConstant value) && value.Value is bool b ? b : fallback;

        /// <summary>An enum option as its underlying number, so an undefined value (a cast) survives to
        /// validation.</summary>
        public int Enum(string name, int fallback) =>
            TryGet(name, out TypedConstant value) && value.Kind == TypedConstantKind.Enum && value.Value is int i ? i : fallback;

        public string? String(string name) =>
            TryGet(name, out TypedConstant value) ? value.Value as string : null;

        public EquatableArray<int> Ints(string name)
        {
            if (!TryGet(name, out TypedConstant value) || value.Kind != TypedConstantKind.Array || value.IsNull)
            {
                return EquatableArray<int>.Empty;
            }

            return value.Values.Select(v => v.Value is int i ? i : 0).ToEquatableArray();
        }

        private bool TryGet(string name, out TypedConstant value)
        {
            if (_site is not null && _site.IsUnknown(name))
            {
                value = default;
                return false;
            }

            foreach (var pair in _data.NamedArguments)
            {
                if (pair.Key == name)
                {
                    value = pair.Value;
                    return true;
                }
            }

            value = default;
            return false;
        }

        /// <summary>
        /// Where the attribute and each written argument sit in source. Named arguments are keyed by
        /// name; positional ones by <c>#index</c>.
        /// </summary>
        public static AttributeSite Site(AttributeData data, LocationInfo fallback, CancellationToken cancellationToken)
        {
            if (data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
            {
                return new AttributeSite(fallback, EquatableArray<ArgumentSite>.Empty);
            }

            return Site(syntax, data);
        }

        /// <summary>Where an attribute written as <paramref name="syntax"/> and each of its arguments sit,
        /// and what each argument's value is: from the compiler's <paramref name="data"/> when it was
        /// bound, otherwise from the syntax, whose reading holds literals only.</summary>
        public static AttributeSite Site(AttributeSyntax syntax, AttributeData? data = null)
        {
            var arguments = ImmutableArray.CreateBuilder<ArgumentSite>();
            if (syntax.ArgumentList is { } list)
            {
                int position = 0;
                foreach (AttributeArgumentSyntax argument in list.Arguments)
                {
                    string name = argument.NameEquals?.Name.Identifier.ValueText
                        ?? argument.NameColon?.Name.Identifier.ValueText
                        ?? "#" + Text.Invariant(position++);
                    arguments.Add(new ArgumentSite(name, LocationInfo.From(argument), ElementsOf(argument.Expression), ValueOf(name, argument.Expression, data)));
                }
            }

            return new AttributeSite(LocationInfo.From(syntax.Name), arguments.ToEquatableArray());
        }

        private static ArgumentValue ValueOf(string name, ExpressionSyntax expression, AttributeData? data)
        {
            if (data is null)
            {
                return expression.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.NullLiteralExpression) ? ArgumentValue.Null : ArgumentValue.Constant;
            }

            foreach (var pair in data.NamedArguments)
            {
                if (pair.Key == name)
                {
                    return pair.Value.Kind == TypedConstantKind.Error ? ArgumentValue.Unknown
                        : pair.Value.IsNull ? ArgumentValue.Null
                        : ArgumentValue.Constant;
                }
            }

            // Not among the bound arguments: a name the attribute does not have, or a value that did not bind.
            return ArgumentValue.Unknown;
        }

        /// <summary>The element expressions of an array written inline (<c>new[] { … }</c>,
        /// <c>new int[] { … }</c> or <c>[ … ]</c>); empty for anything else.</summary>
        public static EquatableArray<LocationInfo> ElementsOf(ExpressionSyntax expression)
        {
            SeparatedSyntaxList<ExpressionSyntax>? items = expression switch
            {
                ArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions,
                ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.Initializer.Expressions,
                _ => null,
            };

            if (items is { } expressions)
            {
                return expressions.Select(e => LocationInfo.From(e)).ToEquatableArray();
            }

            if (expression is CollectionExpressionSyntax collection && collection.Elements.All(e => e is ExpressionElementSyntax))
            {
                return collection.Elements.Select(e => LocationInfo.From(((ExpressionElementSyntax)e).Expression)).ToEquatableArray();
            }

            return EquatableArray<LocationInfo>.Empty;
        }
    }
}
