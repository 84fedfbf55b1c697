namespace Composer.Tensors;

/// <summary>Padding chosen from the kernel rather than given as a number (the string forms of <c>F.conv1d</c>'s <c>padding</c>). The values are the shim's codes.</summary>
public enum ConvPadding
{
    /// <summary>No padding (<c>"valid"</c>): the output shrinks by <c>dilation · (kernel − 1)</c>.</summary>
    Valid = 0,
    /// <summary>
    /// Enough padding that the output is as long as the input (<c>"same"</c>); needs stride 1. With an
    /// even receptive field the extra element of padding goes on the right, as in PyTorch.
    /// </summary>
    Same = 1,
}
