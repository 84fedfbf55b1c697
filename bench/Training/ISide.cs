using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace Composer.Bench.Training;

/// <summary>
/// One side of the comparison for one subject: a model with the shared initial weights, its optimizer
/// and the shared batch. Every side times itself, so the figures exclude the harness.
/// </summary>
internal interface ISide : IDisposable
{
    /// <summary>Cross-entropy per target on the batch, in evaluation mode, from the weights as they are.</summary>
    double EvaluationLoss();

    /// <summary>Seconds of <paramref name="updates"/> training updates on the batch.</summary>
    double Train(int updates);

    /// <summary>Seconds of greedy decoding of <paramref name="tokens"/> steps from token 0 at B = 1.</summary>
    double Decode(int tokens);

    /// <summary>The tokens those <paramref name="tokens"/> greedy steps choose (one start token, then each step's own output).</summary>
    long[] Generate(int tokens);
}
