namespace Composer.Tensors;

/// <summary>How <see cref="Functional.Pad"/> fills the new border (the <c>mode</c> of <c>F.pad</c>). The values are the shim's codes.</summary>
public enum PadMode
{
    /// <summary>A constant value (<c>"constant"</c>); the only mode for any number of padded dimensions.</summary>
    Constant = 0,
    /// <summary>The mirror image of the input without repeating its edge (<c>"reflect"</c>); pads of 1 to 3 last dimensions.</summary>
    Reflect = 1,
    /// <summary>The edge value repeated (<c>"replicate"</c>); pads of 1 to 3 last dimensions.</summary>
    Replicate = 2,
    /// <summary>The input wrapped around (<c>"circular"</c>); pads of 1 to 3 last dimensions.</summary>
    Circular = 3,
}
