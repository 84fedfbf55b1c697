using System;
using static TorchSharp.torch;

namespace Composer.Bench.Training;

/// <summary>One side under one thread setting: torch threads for a C# side (set before each measurement), or a PyTorch worker's own.</summary>
internal sealed record Entrant(string Side, string Setting, ISide Run, int? TorchThreads)
{
    public double Measure(Func<ISide, double> measure)
    {
        if (TorchThreads is int n) set_num_threads(n);
        return measure(Run);
    }
}
