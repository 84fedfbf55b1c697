namespace Composer
{
    /// <summary>Where the layer norm of each residual sublayer sits.</summary>
    public enum NormPlacement
    {
        /// <summary><c>x + f(norm(x))</c>, with a final norm after the stack. Trains stably without warm-up tricks.</summary>
        Pre,

        /// <summary><c>norm(x + f(x))</c>, as in the original Transformer and fairseq's LightConv.</summary>
        Post,
    }
}
