namespace Composer.Generator.Specs
{
    /// <summary>
    /// What the compilation's Composer.Runtime offers, looked up once per compilation rather than per
    /// model (a metadata-name lookup searches every reference): whether the Runtime is referenced at
    /// all, and which of the mixer classes the generated code may construct it lacks.
    /// </summary>
    internal sealed record RuntimeFacts(bool HasRuntime, EquatableArray<string> MissingMixerClasses)
    {
        public bool Lacks(string metadataName)
        {
            foreach (string missing in MissingMixerClasses)
            {
                if (missing == metadataName)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
