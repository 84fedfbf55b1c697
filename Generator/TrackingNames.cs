namespace Composer.Generator
{
    /// <summary>Names of the tracked pipeline steps, shared with the caching tests.</summary>
    internal static class TrackingNames
    {
        public const string DeclarationScan = "Declaration.Scan";
        public const string DeclarationIndex = "Declaration.Index";
        public const string DeclarationResolve = "Declaration.Resolve";
        public const string DeclarationSemantic = "Declaration.Semantic";
        public const string LanguageModelParse = "LanguageModel.Parse";
        public const string LanguageModelValidate = "LanguageModel.Validate";
        public const string LanguageModelEmit = "LanguageModel.Emit";
        public const string Seq2SeqParse = "Seq2Seq.Parse";
        public const string Seq2SeqValidate = "Seq2Seq.Validate";
        public const string Seq2SeqEmit = "Seq2Seq.Emit";
        public const string ClassifierParse = "Classifier.Parse";
        public const string ClassifierValidate = "Classifier.Validate";
        public const string ClassifierEmit = "Classifier.Emit";
        public const string GeneratedModels = "GeneratedModels";
        public const string Placement = "Placement";
        public const string TrainingExecutableParse = "TrainingExecutable.Parse";
        public const string TrainingExecutableValidate = "TrainingExecutable.Validate";
        public const string TrainingExecutableEmit = "TrainingExecutable.Emit";
        public const string SourceTrees = "SourceTrees";
        public const string RuntimeFacts = "RuntimeFacts";

        /// <summary>Steps whose output is a model-kind parse or validate result, in pipeline order.</summary>
        public static readonly string[] ModelSteps =
        {
            LanguageModelParse, LanguageModelValidate,
            Seq2SeqParse, Seq2SeqValidate,
            ClassifierParse, ClassifierValidate,
        };
    }
}
