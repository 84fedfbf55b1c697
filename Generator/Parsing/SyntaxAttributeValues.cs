using System.Collections.Generic;
using System.Collections.Immutable;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Parsing
{
    /// <summary>
    /// The named arguments of an attribute evaluated from the syntax alone, for the forms declarations
    /// are written in: numeric, bool, string and null literals (with unary minus), enum members
    /// (<c>Activation.Gelu</c>, optionally <c>Composer.</c>- or <c>global::Composer.</c>-qualified) and
    /// int arrays written inline (<c>new[] { 3, 7 }</c>, <c>new int[] { … }</c>, <c>[3, 7]</c>).
    /// Anything else — a constant from elsewhere, a cast, arithmetic, a positional argument, an option
    /// the attribute does not have, a value of the wrong type — makes <see cref="TryRead"/> give up, and
    /// the declaration is read through the compiler instead, whose answer is the reference: a test
    /// compares the two on every declaration of the test corpus.
    /// </summary>
    internal sealed class SyntaxAttributeValues : IAttributeValues
    {
        private readonly Dictionary<string, object?> _values;

        private SyntaxAttributeValues(Dictionary<string, object?> values, bool usesUnqualifiedEnum)
        {
            _values = values;
            UsesUnqualifiedEnum = usesUnqualifiedEnum;
        }

        /// <summary>Whether an enum value was written without <c>Composer.</c> (so it needs the namespace imported).</summary>
        public bool UsesUnqualifiedEnum { get; }

        /// <summary>The attribute's values, or null with <paramref name="reason"/> when the compiler must read it.</summary>
        public static SyntaxAttributeValues? TryRead(AttributeSyntax attribute, AttributeShape shape, out string? reason)
        {
            var values = new Dictionary<string, object?>();
            bool unqualifiedEnum = false;
            if (attribute.ArgumentList is { } list)
            {
                foreach (AttributeArgumentSyntax argument in list.Arguments)
                {
                    if (argument.NameEquals is not { } nameEquals)
                    {
                        reason = "a positional argument";
                        return null;
                    }

                    string name = nameEquals.Name.Identifier.ValueText;
                    if (!shape.Options.TryGetValue(name, out OptionShape? option))
                    {
                        reason = "an option " + shape.MetadataName + " does not have: " + name;
                        return null;
                    }

                    if (values.ContainsKey(name))
                    {
                        reason = "an option written twice: " + name;
                        return null;
                    }

                    if (!TryEvaluate(argument.Expression, option, out object? value, ref unqualifiedEnum))
                    {
                        reason = "a value the syntax does not settle: " + name;
                        return null;
                    }

                    values.Add(name, value);
                }
            }

            reason = null;
            return new SyntaxAttributeValues(values, unqualifiedEnum);
        }

        public int Int(string name, int fallback) => _values.TryGetValue(name, out object? v) && v is int i ? i : fallback;

        public double Double(string name, double fallback) => _values.TryGetValue(name, out object? v) && v is double d ? d : fallback;

        public bool Bool(string name, bool fallback) => _values.TryGetValue(name, out object? v) && v is bool b ? b : fallback;

        public int Enum(string name, int fallback) => _values.TryGetValue(name, out object? v) && v is EnumValue e ? e.Value : fallback;

        public string? String(string name) => _values.TryGetValue(name, out object? v) ? v as string : null;

        public EquatableArray<int> Ints(string name) =>
            _values.TryGetValue(name, out object? v) && v is EquatableArray<int> array ? array : EquatableArray<int>.Empty;

        private static bool TryEvaluate(ExpressionSyntax expression, OptionShape option, out object? value, ref bool unqualifiedEnum)
        {
            expression = Unparenthesised(expression);
            value = null;
            switch (option.Type)
            {
                case OptionType.Int:
                    if (TryInt(expression, out int i))
                    {
                        value = i;
                        return true;
                    }

                    return false;
                case OptionType.Double:
                    // The compiler converts an int or float constant to the double option.
                    switch (Number(expression))
                    {
                        case int n:
                            value = (double)n;
                            return true;
                        case float f:
                            value = (double)f;
                            return true;
                        case double d:
                            value = d;
                            return true;
                        default:
                            return false;
                    }

                case OptionType.Bool:
                    if (expression.IsKind(SyntaxKind.TrueLiteralExpression) || expression.IsKind(SyntaxKind.FalseLiteralExpression))
                    {
                        value = expression.IsKind(SyntaxKind.TrueLiteralExpression);
                        return true;
                    }

                    return false;
                case OptionType.String:
                    if (expression is LiteralExpressionSyntax literal
                        && (literal.IsKind(SyntaxKind.StringLiteralExpression) || literal.IsKind(SyntaxKind.NullLiteralExpression)))
                    {
                        value = literal.Token.Value as string;
                        return true;
                    }

                    return false;
                case OptionType.IntArray:
                    if (expression.IsKind(SyntaxKind.NullLiteralExpression))
                    {
                        value = EquatableArray<int>.Empty;
                        return true;
                    }

                    if (TryIntArray(expression, out EquatableArray<int> array))
                    {
                        value = array;
                        return true;
                    }

                    return false;
                case OptionType.Enum:
                    if (TryEnum(expression, option.EnumName!, out int member, out bool qualified))
                    {
                        value = new EnumValue(member);
                        unqualifiedEnum |= !qualified;
                        return true;
                    }

                    return false;
                default:
                    return false;
            }
        }

        private static ExpressionSyntax Unparenthesised(ExpressionSyntax expression)
        {
            while (expression is ParenthesizedExpressionSyntax parenthesized)
            {
                expression = parenthesized.Expression;
            }

            return expression;
        }

        private static bool TryInt(ExpressionSyntax expression, out int value)
        {
            if (Number(Unparenthesised(expression)) is int i)
            {
                value = i;
                return true;
            }

            value = 0;
            return false;
        }

        /// <summary>A numeric literal's constant in its own type (int, float, double; other types are
        /// left to the compiler), with unary plus and minus applied.</summary>
        private static object? Number(ExpressionSyntax expression)
        {
            expression = Unparenthesised(expression);
            if (expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.NumericLiteralExpression))
            {
                return literal.Token.Value is int or float or double ? literal.Token.Value : null;
            }

            if (expression is PrefixUnaryExpressionSyntax unary)
            {
                object? operand = Number(unary.Operand);
                if (unary.IsKind(SyntaxKind.UnaryPlusExpression))
                {
                    return operand;
                }

                if (unary.IsKind(SyntaxKind.UnaryMinusExpression))
                {
                    return operand switch
                    {
                        int i when i != int.MinValue => -i,
                        float f => -f,
                        double d => -d,
                        _ => null,
                    };
                }
            }

            return null;
        }

        private static bool TryIntArray(ExpressionSyntax expression, out EquatableArray<int> value)
        {
            value = EquatableArray<int>.Empty;
            IEnumerable<ExpressionSyntax>? elements = null;
            switch (expression)
            {
                case ImplicitArrayCreationExpressionSyntax { Commas.Count: 0 } implicitArray when implicitArray.Initializer.Expressions.Count > 0:
                    elements = implicitArray.Initializer.Expressions;
                    break;
                case ArrayCreationExpressionSyntax { Initializer: { } initializer } created
                    when created.Type.ElementType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.IntKeyword)
                    && created.Type.RankSpecifiers.Count == 1
                    && created.Type.RankSpecifiers[0].Sizes.Count == 1
                    && created.Type.RankSpecifiers[0].Sizes[0] is OmittedArraySizeExpressionSyntax:
                    elements = initializer.Expressions;
                    break;
                case CollectionExpressionSyntax collection:
                    var items = new List<ExpressionSyntax>();
                    foreach (CollectionElementSyntax element in collection.Elements)
                    {
                        if (element is not ExpressionElementSyntax item)
                        {
                            return false;
                        }

                        items.Add(item.Expression);
                    }

                    elements = items;
                    break;
            }

            if (elements is null)
            {
                return false;
            }

            var builder = ImmutableArray.CreateBuilder<int>();
            foreach (ExpressionSyntax element in elements)
            {
                if (!TryInt(element, out int item))
                {
                    return false;
                }

                builder.Add(item);
            }

            value = builder.ToEquatableArray();
            return true;
        }

        /// <summary><c>Enum.Member</c>, <c>Composer.Enum.Member</c> or <c>global::Composer.Enum.Member</c>
        /// for a member the enum defines.</summary>
        private static bool TryEnum(ExpressionSyntax expression, string enumName, out int value, out bool qualified)
        {
            value = 0;
            qualified = false;
            if (expression is not MemberAccessExpressionSyntax { Name: IdentifierNameSyntax member } access
                || !access.IsKind(SyntaxKind.SimpleMemberAccessExpression))
            {
                return false;
            }

            ExpressionSyntax type = access.Expression;
            if (type is MemberAccessExpressionSyntax { Name: IdentifierNameSyntax typeName } qualifiedType
                && qualifiedType.IsKind(SyntaxKind.SimpleMemberAccessExpression)
                && SyntaxNames.IsComposerNamespace(qualifiedType.Expression))
            {
                qualified = true;
                type = typeName;
            }

            if (type is not IdentifierNameSyntax { Identifier.ValueText: var name } || name != enumName
                || !AttributeShape.Enums.TryGetValue(enumName, out System.Type? mirror))
            {
                return false;
            }

            string memberName = member.Identifier.ValueText;
            if (!System.Enum.IsDefined(mirror, memberName))
            {
                return false;
            }

            value = (int)System.Enum.Parse(mirror, memberName);
            return true;
        }

        /// <summary>An enum option's value, kept apart from plain ints so an int written for an enum
        /// option (which the compiler accepts only for 0) never reads as an enum.</summary>
        private readonly struct EnumValue
        {
            public EnumValue(int value)
            {
                Value = value;
            }

            public int Value { get; }
        }
    }
}
