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
    /// Parse stage: turns one class carrying a model attribute into a <see cref="ParsedModel"/>. It
    /// reads the whole declaration (model attribute, mixer attributes, nested stacks) in one go, so an
    /// edit to a model re-parses that model only. It records what was written and decides nothing;
    /// every judgement is a validation rule.
    /// </summary>
    internal static class ModelParser
    {
        /// <summary>
        /// Reads the model that <paramref name="attribute"/> (of <paramref name="kind"/>, written on
        /// <paramref name="declaration"/>) declares on <paramref name="type"/>, with everything the
        /// compiler put together: attributes from every part of a partial type, constants, aliases.
        /// </summary>
        public static ParsedModel Parse(INamedTypeSymbol type, TypeDeclarationSyntax declaration, AttributeData attribute, ModelKind kind, CancellationToken cancellationToken)
        {
            LocationInfo identifier = LocationInfo.From(declaration.Identifier);
            AttributeSite attributeSite = AttributeReader.Site(attribute, identifier, cancellationToken);

            var containing = ImmutableArray.CreateBuilder<ClassSpec>();
            var containingSites = ImmutableArray.CreateBuilder<LocationInfo>();
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                containing.Insert(0, Symbols.ClassOf(outer, cancellationToken));
                SyntaxToken? outerIdentifier = Symbols.IdentifierOf(outer, null, cancellationToken);
                containingSites.Insert(0, outerIdentifier is { } token ? LocationInfo.From(token) : identifier);
            }

            var otherKinds = ImmutableArray.CreateBuilder<ModelKind>();
            var otherSites = ImmutableArray.CreateBuilder<AttributeSite>();
            foreach (AttributeData other in type.GetAttributes())
            {
                if (Symbols.ModelKindOf(Symbols.ComposerAttributeName(other)) is { } otherKind && otherKind != kind)
                {
                    otherKinds.Add(otherKind);
                    otherSites.Add(AttributeReader.Site(other, identifier, cancellationToken));
                }
            }

            var reader = new AttributeReader(attribute, attributeSite);
            ModelOptions options = ReadOptions(reader);

            var stacks = ImmutableArray.CreateBuilder<StackSpec>();
            var stackSites = ImmutableArray.CreateBuilder<StackSites>();
            if (kind == ModelKind.Seq2Seq)
            {
                ReadNestedStacks(type, stacks, stackSites, cancellationToken);
            }
            else
            {
                var (mixers, mixerSites) = ReadMixers(type, identifier, cancellationToken);
                StackRole role = kind == ModelKind.LanguageModel ? StackRole.Decoder : StackRole.Encoder;
                stacks.Add(new StackSpec(role, null, reader.Int("Depth", 0), mixers, ReadStructure(reader)));
                stackSites.Add(new StackSites(identifier, attributeSite, mixerSites, EquatableArray<MemberSite>.Empty));
            }

            var spec = new ModelSpec(
                kind,
                Symbols.NamespaceOf(type),
                Symbols.ClassOf(type, cancellationToken),
                containing.ToEquatableArray(),
                otherKinds.ToEquatableArray(),
                options,
                stacks.ToEquatableArray());
            var sites = new ModelSites(
                identifier,
                containingSites.ToEquatableArray(),
                attributeSite,
                otherSites.ToEquatableArray(),
                stackSites.ToEquatableArray(),
                Symbols.MembersOf(type, cancellationToken));
            return new ParsedModel(spec, sites);
        }

        /// <summary>The model attribute's options, however they were read.</summary>
        public static ModelOptions ReadOptions<TValues>(TValues reader)
            where TValues : IAttributeValues => new ModelOptions(
            Vocabulary: reader.Int("Vocabulary", 0),
            SourceVocabulary: reader.Int("SourceVocabulary", 0),
            TargetVocabulary: reader.Int("TargetVocabulary", 0),
            Classes: reader.Int("Classes", 0),
            Pooling: (Pooling)reader.Enum("Pooling", (int)Defaults.Pooling),
            Width: reader.Int("Width", 0),
            FeedForward: reader.Int("FeedForward", 0),
            Activation: (Activation)reader.Enum("Activation", (int)Defaults.Activation),
            Norm: (NormPlacement)reader.Enum("Norm", (int)Defaults.Norm),
            Dropout: reader.Double("Dropout", Defaults.Dropout),
            AttentionDropout: reader.Double("AttentionDropout", 0),
            ActivationDropout: reader.Double("ActivationDropout", 0),
            WeightDropout: reader.Double("WeightDropout", 0),
            Positions: (PositionalEncoding)reader.Enum("Positions", (int)Defaults.Positions),
            TieEmbeddings: reader.Bool("TieEmbeddings", false),
            MaxLength: reader.Int("MaxLength", 0));

        /// <summary>A stack attribute's (or a single-stack model attribute's) reversible and Funnel options, however they were read.</summary>
        public static StackStructure ReadStructure<TValues>(TValues reader)
            where TValues : IAttributeValues => new StackStructure(
            Reversible: reader.Bool("Reversible", false),
            Funnel: reader.Ints("Funnel"),
            FunnelPooling: (FunnelPooling)reader.Enum("FunnelPooling", (int)FunnelPooling.Mean),
            FunnelKeepFirst: reader.Bool("FunnelKeepFirst", false));

        /// <summary>The [Encoder] and [Decoder] classes nested in a Seq2Seq model, encoders first.</summary>
        private static void ReadNestedStacks(
            INamedTypeSymbol model,
            ImmutableArray<StackSpec>.Builder stacks,
            ImmutableArray<StackSites>.Builder stackSites,
            CancellationToken cancellationToken)
        {
            foreach (StackRole wanted in new[] { StackRole.Encoder, StackRole.Decoder })
            {
                foreach (INamedTypeSymbol nested in model.GetTypeMembers())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    foreach (AttributeData attribute in nested.GetAttributes())
                    {
                        if (Symbols.StackRoleOf(Symbols.ComposerAttributeName(attribute)) != wanted)
                        {
                            continue;
                        }

                        SyntaxToken? token = Symbols.IdentifierOf(nested, attribute, cancellationToken);
                        LocationInfo identifier = token is { } t ? LocationInfo.From(t) : new LocationInfo(string.Empty, default, default);
                        var (mixers, mixerSites) = ReadMixers(nested, identifier, cancellationToken);
                        AttributeSite site = AttributeReader.Site(attribute, identifier, cancellationToken);
                        var reader = new AttributeReader(attribute, site);
                        stacks.Add(new StackSpec(wanted, Symbols.ClassOf(nested, cancellationToken), reader.Int("Depth", 0), mixers, ReadStructure(reader)));
                        stackSites.Add(new StackSites(identifier, site, mixerSites, Symbols.MembersOf(nested, cancellationToken)));
                    }
                }
            }
        }

        private static (EquatableArray<MixerSpec> Mixers, EquatableArray<AttributeSite> Sites) ReadMixers(
            INamedTypeSymbol type,
            LocationInfo fallback,
            CancellationToken cancellationToken)
        {
            var mixers = ImmutableArray.CreateBuilder<MixerSpec>();
            var sites = ImmutableArray.CreateBuilder<AttributeSite>();
            foreach (AttributeData attribute in type.GetAttributes())
            {
                string? name = Symbols.ComposerAttributeName(attribute);
                if (Symbols.MixerKindOf(name) is not { } kind)
                {
                    continue;
                }

                AttributeSite site = AttributeReader.Site(attribute, fallback, cancellationToken);
                UserMixerSpec? user = null;
                string displayName = Symbols.ShortName(name!);
                if (kind == MixerKind.User)
                {
                    ITypeSymbol? mixerType = attribute.AttributeClass!.TypeArguments.FirstOrDefault();
                    user = ReadUserMixer(mixerType, cancellationToken);
                    displayName = "Mixer<" + user.DisplayName + ">";
                    site = WithTypeArgument(site, attribute, cancellationToken);
                }

                mixers.Add(ReadMixer(kind, displayName, new AttributeReader(attribute, site), user));
                sites.Add(site);
            }

            return (mixers.ToEquatableArray(), sites.ToEquatableArray());
        }

        /// <summary>One mixer attribute's options, however they were read.</summary>
        public static MixerSpec ReadMixer<TValues>(MixerKind kind, string displayName, TValues reader, UserMixerSpec? user)
            where TValues : IAttributeValues => new MixerSpec(
                kind,
                displayName,
                reader.String("Layers"),
                reader.Bool("Cross", false),
                reader.Int("Heads", Defaults.Heads),
                reader.Ints("Kernels"),
                reader.Bool("Glu", Defaults.Glu),
                reader.Bool("WeightSoftmax", Defaults.WeightSoftmax),
                (FeatureMap)reader.Enum("FeatureMap", (int)Defaults.FeatureMap),
                (SynthesizerKind)reader.Enum("Kind", (int)Defaults.Synthesizer),
                reader.Int("ProjectedLength", 0),
                reader.Int("Window", 0),
                (RecurrentCell)reader.Enum("Cell", (int)Defaults.Cell),
                reader.Bool("Bidirectional", false),
                (AttentionScore)reader.Enum("Score", (int)Defaults.Score),
                (AttentionDistribution)reader.Enum("Distribution", (int)Defaults.Distribution),
                reader.Int("Buckets", Defaults.LshBuckets),
                reader.Int("Rounds", Defaults.LshRounds),
                reader.Int("ChunkSize", Defaults.LshChunkSize),
                reader.Int("Seed", 0),
                user);

        /// <summary>The facts the user-mixer rules check and the emitter needs, read by name (see
        /// <see cref="UserMixerSpec"/>). A type the compiler could not resolve, or whose [MixerFacts]
        /// holds a value it could not compute, is left unjudged: the compiler already reports it.</summary>
        private static UserMixerSpec ReadUserMixer(ITypeSymbol? type, CancellationToken cancellationToken)
        {
            if (type is null || type.TypeKind == TypeKind.Error || HasUncomputedFacts(type, cancellationToken))
            {
                string name = type?.ToDisplayString() ?? "?";
                return new UserMixerSpec(name, name, false, true, true, true, true, true, true, null, null, true, true, MixerNeeds.None);
            }

            bool isConcrete = type.TypeKind == TypeKind.Class && !type.IsAbstract && !type.IsStatic;
            bool isModule = false;
            for (ITypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
            {
                isModule |= current.ToDisplayString() == KnownNames.TorchModule;
            }

            bool implementsMixer = false, implementsCross = false;
            string? state = null, crossState = null;
            foreach (INamedTypeSymbol contract in type.AllInterfaces)
            {
                implementsMixer |= Is(contract, KnownNames.MixerInterface);
                implementsCross |= Is(contract, KnownNames.CrossMixerInterface);
                if (Is(contract.OriginalDefinition, KnownNames.IncrementalMixerInterface))
                {
                    state = contract.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                }
                else if (Is(contract.OriginalDefinition, KnownNames.IncrementalCrossMixerInterface))
                {
                    crossState = contract.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                }
            }

            bool causal = false, alignmentFree = false;
            var needs = MixerNeeds.None;
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass is { } facts && Is(facts, KnownNames.MixerFactsAttribute))
                {
                    var reader = new AttributeReader(attribute);
                    causal = reader.Bool("CausalCapable", false);
                    alignmentFree = reader.Bool("AlignmentFree", false);
                    needs = (MixerNeeds)reader.Enum("Needs", 0);
                }
            }

            bool hasConstructor = false, hasShapedConstructor = false;
            if (type is INamedTypeSymbol named)
            {
                foreach (IMethodSymbol constructor in named.InstanceConstructors)
                {
                    if (constructor.DeclaredAccessibility == Accessibility.Public && constructor.Parameters.Length == 1)
                    {
                        ITypeSymbol parameter = constructor.Parameters[0].Type;
                        hasConstructor |= Is(parameter, KnownNames.MixerContext);
                        hasShapedConstructor |= parameter.Name == "MixerContext";
                    }
                }
            }

            return new UserMixerSpec(
                type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                IsResolved: true,
                isConcrete,
                isModule,
                implementsMixer,
                implementsCross,
                hasConstructor,
                hasShapedConstructor,
                state,
                crossState,
                causal,
                alignmentFree,
                needs);
        }

        private static bool HasUncomputedFacts(ITypeSymbol type, CancellationToken cancellationToken) =>
            type.GetAttributes().Any(a => a.AttributeClass is { } facts && Is(facts, KnownNames.MixerFactsAttribute)
                && AttributeReader.Site(a, new LocationInfo(string.Empty, default, default), cancellationToken).HasUnknown);

        /// <summary>Whether <paramref name="type"/> has the metadata name <paramref name="name"/>
        /// (<c>Namespace.Type</c>, with the backtick arity for generic definitions).</summary>
        private static bool Is(ITypeSymbol type, string name)
        {
            string metadata = type.MetadataName;
            if (!name.EndsWith(metadata, System.StringComparison.Ordinal) || name.Length == metadata.Length || name[name.Length - metadata.Length - 1] != '.')
            {
                return false;
            }

            return type.ContainingType is null
                && type.ContainingNamespace?.ToDisplayString() == name.Substring(0, name.Length - metadata.Length - 1);
        }

        /// <summary>Adds the location of <c>T</c> in <c>[Mixer&lt;T&gt;]</c> as argument <c>TMixer</c>.</summary>
        private static AttributeSite WithTypeArgument(AttributeSite site, AttributeData attribute, CancellationToken cancellationToken)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax
                && syntax.Name.DescendantNodesAndSelf().OfType<GenericNameSyntax>().FirstOrDefault() is { } generic
                && generic.TypeArgumentList.Arguments.Count > 0)
            {
                var argument = new ArgumentSite("TMixer", LocationInfo.From(generic.TypeArgumentList.Arguments[0]), EquatableArray<LocationInfo>.Empty, ArgumentValue.Constant);
                return site with { Arguments = site.Arguments.Append(argument).ToEquatableArray() };
            }

            return site;
        }
    }
}
