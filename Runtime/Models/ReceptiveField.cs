using System.Linq;
using Composer.Mixers;
using TorchSharp;

namespace Composer.Models;

/// <summary>How far back one output position of a built model can see, from its mixers.</summary>
public static class ReceptiveField
{
    /// <summary>
    /// Tokens an output position sees to its left, itself included: 1 + the sum over the model's self-mixers
    /// of how many earlier positions each reaches (K − 1 for a causal convolution of width K, (K − 1)/2 for a
    /// centred one, the window for local attention). Null when some mixer sees the whole prefix (attention,
    /// linear attention, recurrence, …) or is one this method does not know (a user's mixer).
    /// </summary>
    public static int? Left(torch.nn.Module model)
    {
        long reach = 0;
        foreach (var mixer in model.named_modules().Select(m => m.module).OfType<IMixer>())
        {
            long? extent = mixer switch
            {
                LightweightConvolution c => c.Causal ? c.Kernel - 1 : (c.Kernel - 1) / 2,
                DynamicConvolution c => c.Causal ? c.Kernel - 1 : (c.Kernel - 1) / 2,
                LocalAttention a => a.Window,
                _ => null,
            };
            if (extent is null) return null;
            reach += extent.Value;
        }
        return reach + 1 > int.MaxValue ? null : (int)(reach + 1);
    }
}
