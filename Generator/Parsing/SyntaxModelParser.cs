using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Composer.Generator.Diagnostics;
using Composer.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Composer.Generator.Parsing
{
    /// <summary>
    /// Reads a declaration's models and misplaced attributes from its syntax alone — the same
    /// <see cref="ParsedModel"/> and <see cref="PlacementSpec"/> values <see cref="ModelParser"/> and
    /// <see cref="PlacementParser"/> build from symbols, without binding anything. That is what keeps an
    /// edit cheap: the compiler re-binds every declaration's attributes in each new compilation, the
    /// syntax of an unchanged file is the same object. It covers declarations written the ordinary way
    /// (one class declaration, literal options, built-in mixers) and gives up, with a reason, on
    /// anything whose meaning depends on more than the text in front of it.
    /// </summary>
    internal static class SyntaxModelParser
    {
        /// <summary>A Composer attribute written on a declaration, with its shape and values.</summary>
        private sealed class Written
        {
            public Written(AttributeSyntax syntax, AttributeShape shape, SyntaxAttributeValues values)
            {
                Syntax = syntax;
                Shape = shape;
                Values = values;
            }

            public AttributeSyntax Syntax { get; }

            public AttributeShape Shape { get; }

            public SyntaxAttributeValues Values { get; }

            public ModelKind? ModelKind => Symbols.ModelKindOf(Shape.MetadataName);

            public StackRole? StackRole => Symbols.StackRoleOf(Shape.MetadataName);

            public MixerKind? MixerKind => Symbols.MixerKindOf(Shape.MetadataName);
        }

        /// <summary>
        /// The declaration's models (one per model attribute kind on it) and placements, or null with
        /// <paramref name="reason"/> when the compiler must read it. <paramref name="needsImport"/> tells
        /// whether a Composer name was written unqualified (the caller checks the namespace is imported).
        /// </summary>
        public static (EquatableArray<ParsedModel> Models, EquatableArray<PlacementSpec> Placements)? TryParse(
            TypeDeclarationSyntax declaration, out string? reason, out bool needsImport)
        {
            needsImport = false;
            if (declaration.SyntaxTree.GetRoot().ContainsDiagnostics)
            {
                reason = "the file has syntax errors";
                return null;
            }

            List<Written>? own = Read(declaration, ref needsImport, out reason);
            if (own is null || ClassOf(declaration, out reason) is not { } type)
            {
                return null;
            }

            // The enclosing types: their shape for the spec, and whether the nearest is a Seq2Seq model.
            var containing = ImmutableArray.CreateBuilder<ClassSpec>();
            var containingSites = ImmutableArray.CreateBuilder<LocationInfo>();
            bool inSeq2Seq = false;
            for (SyntaxNode? node = declaration.Parent; node is TypeDeclarationSyntax outer; node = node.Parent)
            {
                if (ClassOf(outer, out reason) is not { } outerClass)
                {
                    reason = "an enclosing type: " + reason;
                    return null;
                }

                List<Written>? outerAttributes = Read(outer, ref needsImport, out reason);
                if (outerAttributes is null)
                {
                    reason = "an enclosing type: " + reason;
                    return null;
                }

                if (ReferenceEquals(node, declaration.Parent))
                {
                    inSeq2Seq = outerAttributes.Any(a => a.ModelKind == ModelKind.Seq2Seq);
                }

                containing.Insert(0, outerClass);
                containingSites.Insert(0, LocationInfo.From(outer.Identifier));
            }

            LocationInfo identifier = LocationInfo.From(declaration.Identifier);
            string ns = SyntaxNames.NamespaceOf(declaration);
            var models = ImmutableArray.CreateBuilder<ParsedModel>();
            foreach (ModelKind kind in new[] { ModelKind.LanguageModel, ModelKind.Seq2Seq, ModelKind.Classifier })
            {
                Written? attribute = own.FirstOrDefault(a => a.ModelKind == kind);
                if (attribute is null)
                {
                    continue;
                }

                if (Members(declaration, out reason) is not { } members)
                {
                    return null;
                }

                var stacks = ImmutableArray.CreateBuilder<StackSpec>();
                var stackSites = ImmutableArray.CreateBuilder<StackSites>();
                AttributeSite attributeSite = AttributeReader.Site(attribute.Syntax);
                if (kind == ModelKind.Seq2Seq)
                {
                    if (!ReadNestedStacks(declaration, stacks, stackSites, ref needsImport, out reason))
                    {
                        return null;
                    }
                }
                else
                {
                    var (mixers, mixerSites) = Mixers(own);
                    StackRole role = kind == ModelKind.LanguageModel ? StackRole.Decoder : StackRole.Encoder;
                    stacks.Add(new StackSpec(role, null, attribute.Values.Int("Depth", 0), mixers, ModelParser.ReadStructure(attribute.Values)));
                    stackSites.Add(new StackSites(identifier, attributeSite, mixerSites, EquatableArray<MemberSite>.Empty));
                }

                var others = own.Where(a => a.ModelKind is { } other && other != kind).ToList();
                var spec = new ModelSpec(
                    kind,
                    ns,
                    type,
                    containing.ToEquatableArray(),
                    others.Select(a => a.ModelKind!.Value).ToEquatableArray(),
                    ModelParser.ReadOptions(attribute.Values),
                    stacks.ToEquatableArray());
                var sites = new ModelSites(
                    identifier,
                    containingSites.ToEquatableArray(),
                    attributeSite,
                    others.Select(a => AttributeReader.Site(a.Syntax)).ToEquatableArray(),
                    stackSites.ToEquatableArray(),
                    members);
                models.Add(new ParsedModel(spec, sites));
            }

            reason = null;
            return (models.ToEquatableArray(), Placements(own, inSeq2Seq, declaration.Identifier.ValueText));
        }

        /// <summary>The [Encoder] and [Decoder] classes nested in a Seq2Seq model, encoders first, each in source order.</summary>
        private static bool ReadNestedStacks(
            TypeDeclarationSyntax model,
            ImmutableArray<StackSpec>.Builder stacks,
            ImmutableArray<StackSites>.Builder stackSites,
            ref bool needsImport,
            out string? reason)
        {
            var nested = new List<(TypeDeclarationSyntax Declaration, ClassSpec Class, List<Written> Attributes, EquatableArray<MemberSite> Members)>();
            foreach (MemberDeclarationSyntax member in model.Members)
            {
                if (member is not BaseTypeDeclarationSyntax { AttributeLists.Count: > 0 } && member is not DelegateDeclarationSyntax { AttributeLists.Count: > 0 })
                {
                    continue;
                }

                if (member is not TypeDeclarationSyntax type)
                {
                    reason = "an attributed nested enum or delegate";
                    return false;
                }

                List<Written>? attributes = Read(type, ref needsImport, out reason);
                if (attributes is null)
                {
                    reason = "a nested type: " + reason;
                    return false;
                }

                if (attributes.Count == 0)
                {
                    continue;
                }

                if (ClassOf(type, out reason) is not { } spec || Members(type, out reason) is not { } members)
                {
                    reason = "a nested type: " + reason;
                    return false;
                }

                nested.Add((type, spec, attributes, members));
            }

            foreach (StackRole wanted in new[] { StackRole.Encoder, StackRole.Decoder })
            {
                foreach (var (type, spec, attributes, members) in nested)
                {
                    foreach (Written attribute in attributes.Where(a => a.StackRole == wanted))
                    {
                        var (mixers, mixerSites) = Mixers(attributes);
                        stacks.Add(new StackSpec(wanted, spec, attribute.Values.Int("Depth", 0), mixers, ModelParser.ReadStructure(attribute.Values)));
                        stackSites.Add(new StackSites(LocationInfo.From(type.Identifier), AttributeReader.Site(attribute.Syntax), mixerSites, members));
                    }
                }
            }

            reason = null;
            return true;
        }

        private static (EquatableArray<MixerSpec> Mixers, EquatableArray<AttributeSite> Sites) Mixers(List<Written> attributes)
        {
            var mixers = ImmutableArray.CreateBuilder<MixerSpec>();
            var sites = ImmutableArray.CreateBuilder<AttributeSite>();
            foreach (Written attribute in attributes)
            {
                if (attribute.MixerKind is { } kind)
                {
                    mixers.Add(ModelParser.ReadMixer(kind, Symbols.ShortName(attribute.Shape.MetadataName), attribute.Values, null));
                    sites.Add(AttributeReader.Site(attribute.Syntax));
                }
            }

            return (mixers.ToEquatableArray(), sites.ToEquatableArray());
        }

        /// <summary>What <see cref="PlacementParser"/> reports for the stack and mixer attributes written here.</summary>
        private static EquatableArray<PlacementSpec> Placements(List<Written> attributes, bool inSeq2Seq, string className)
        {
            var written = attributes
                .Where(a => a.MixerKind is not null || a.StackRole is not null)
                .Select(a => (a.Shape.MetadataName, a))
                .ToList();
            if (written.Count == 0)
            {
                return EquatableArray<PlacementSpec>.Empty;
            }

            bool onStack = attributes.Any(a => a.ModelKind is ModelKind.LanguageModel or ModelKind.Classifier || a.StackRole is not null);
            return PlacementParser.Judge(written, onStack, inSeq2Seq, className, a => AttributeReader.Site(a.Syntax).Name);
        }

        /// <summary>
        /// The Composer attributes written on a declaration, in order, or null with a reason when one of
        /// them (or an attribute that may be one) needs the compiler. Attributes with other names are skipped.
        /// </summary>
        private static List<Written>? Read(TypeDeclarationSyntax declaration, ref bool needsImport, out string? reason)
        {
            var written = new List<Written>();
            HashSet<string>? aliases = null;
            foreach (AttributeListSyntax list in declaration.AttributeLists)
            {
                foreach (AttributeSyntax attribute in list.Attributes)
                {
                    var (name, qualification, isGeneric) = SyntaxNames.Written(attribute.Name);
                    aliases ??= new HashSet<string>(SyntaxNames.LocalAliases(declaration));
                    if (aliases.Contains(name) || (qualification == Qualification.None && aliases.Contains(KnownNames.Namespace)))
                    {
                        reason = "a using alias";
                        return null;
                    }

                    if (!SyntaxNames.ComposerNames.Contains(name))
                    {
                        continue;
                    }

                    if (qualification == Qualification.Other)
                    {
                        reason = "a Composer name qualified with something other than Composer: " + attribute.Name;
                        return null;
                    }

                    if (list.Target is { } target && !target.Identifier.IsKind(SyntaxKind.TypeKeyword))
                    {
                        reason = "an attribute target other than type";
                        return null;
                    }

                    AttributeShape? shape = isGeneric ? null : AttributeShape.ForWrittenName(name);
                    if (shape is null)
                    {
                        reason = "a user mixer or an attribute written generically: " + attribute.Name;
                        return null;
                    }

                    SyntaxAttributeValues? values = SyntaxAttributeValues.TryRead(attribute, shape, out reason);
                    if (values is null)
                    {
                        return null;
                    }

                    needsImport |= qualification == Qualification.None || values.UsesUnqualifiedEnum;
                    written.Add(new Written(attribute, shape, values));
                }
            }

            reason = null;
            return written;
        }

        /// <summary>
        /// The members declared in a class, as <see cref="Symbols.MembersOf"/> reads them, or null with a
        /// reason when it declares methods or constructors: whether one overloads a generated method or
        /// clashes with it depends on its parameter types, which only the compiler can bind.
        /// </summary>
        private static EquatableArray<MemberSite>? Members(TypeDeclarationSyntax declaration, out string? reason)
        {
            var members = ImmutableArray.CreateBuilder<MemberSite>();
            void Add(SyntaxToken identifier, string kind) =>
                members.Add(new MemberSite(identifier.ValueText, kind, null, LocationInfo.From(identifier)));

            foreach (MemberDeclarationSyntax member in declaration.Members)
            {
                switch (member)
                {
                    case MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null }:
                    case ConstructorDeclarationSyntax constructor when !constructor.Modifiers.Any(SyntaxKind.StaticKeyword):
                        reason = "a class that declares methods or constructors";
                        return null;
                    case FieldDeclarationSyntax field:
                        foreach (VariableDeclaratorSyntax variable in field.Declaration.Variables)
                        {
                            Add(variable.Identifier, field.Modifiers.Any(SyntaxKind.ConstKeyword) ? "constant" : "field");
                        }

                        break;
                    case EventFieldDeclarationSyntax events:
                        foreach (VariableDeclaratorSyntax variable in events.Declaration.Variables)
                        {
                            Add(variable.Identifier, "event");
                        }

                        break;
                    case PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } property:
                        Add(property.Identifier, "property");
                        break;
                    case EventDeclarationSyntax { ExplicitInterfaceSpecifier: null } @event:
                        Add(@event.Identifier, "event");
                        break;
                    case RecordDeclarationSyntax record:
                        Add(record.Identifier, record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record");
                        break;
                    case ClassDeclarationSyntax type:
                        Add(type.Identifier, "class");
                        break;
                    case StructDeclarationSyntax type:
                        Add(type.Identifier, "struct");
                        break;
                    case InterfaceDeclarationSyntax type:
                        Add(type.Identifier, "interface");
                        break;
                    case EnumDeclarationSyntax type:
                        Add(type.Identifier, "enum");
                        break;
                    case DelegateDeclarationSyntax type:
                        Add(type.Identifier, "delegate");
                        break;
                }
            }

            reason = null;
            return members.ToEquatableArray();
        }

        /// <summary>
        /// The class's shape as <see cref="Symbols.ClassOf"/> computes it, for a declaration that is the
        /// whole type (the caller makes sure no other part exists): a plain, non-generic class without a
        /// base list. Anything else is left to the compiler.
        /// </summary>
        private static ClassSpec? ClassOf(TypeDeclarationSyntax declaration, out string? reason)
        {
            if (declaration is not ClassDeclarationSyntax || declaration.TypeParameterList is not null || declaration.BaseList is not null || declaration.ParameterList is not null)
            {
                reason = "not a plain class (a struct, record, interface, generic class or class with a base list or primary constructor)";
                return null;
            }

            bool Has(SyntaxKind kind) => declaration.Modifiers.Any(kind);
            if (Has(SyntaxKind.FileKeyword))
            {
                reason = "a file-local class";
                return null;
            }

            bool isStatic = Has(SyntaxKind.StaticKeyword);
            string accessibility =
                Has(SyntaxKind.PublicKeyword) ? "public"
                : Has(SyntaxKind.ProtectedKeyword) && Has(SyntaxKind.InternalKeyword) ? "protected internal"
                : Has(SyntaxKind.PrivateKeyword) && Has(SyntaxKind.ProtectedKeyword) ? "private protected"
                : Has(SyntaxKind.InternalKeyword) ? "internal"
                : Has(SyntaxKind.ProtectedKeyword) ? "protected"
                : Has(SyntaxKind.PrivateKeyword) ? "private"
                : declaration.Parent is TypeDeclarationSyntax ? "private" : "internal";
            reason = null;
            return new ClassSpec(
                declaration.Identifier.ValueText,
                TypeDeclarationKind.Class,
                Has(SyntaxKind.PartialKeyword),
                isStatic,
                IsGeneric: false,
                Has(SyntaxKind.AbstractKeyword) && !isStatic,
                BaseClass: null,
                accessibility,
                IsFileLocal: false,
                HasPrimaryConstructor: false);
        }
    }
}
