using System;
using System.Diagnostics;
using System.Linq;
using Composer.Data;
using Composer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Bench;

/// <summary>What one greedy decoding cost, position by position.</summary>
/// <param name="MillisecondsPerPosition">For t = 0 … T − 1, the smallest time over the rounds of the step that fed position t and read its next token back.</param>
/// <param name="Tokens">The tokens fed, BOS first (the same in every round: greedy decoding is deterministic).</param>
public sealed record DecodingRun(double[] MillisecondsPerPosition, long[] Tokens);

/// <summary>
/// The measuring code of <c>bench/run decode</c>: greedy decoding at B = 1 from BOS with the model's own
/// incremental <c>Step</c>, one dispose scope and one timed step per position, the next token read back
/// inside the timed span (so the time includes everything a generation loop waits for).
/// </summary>
public static class DecodingCostMeasure
{
    /// <summary>Decodes <paramref name="length"/> positions <paramref name="rounds"/> times; per position the fastest round counts (least disturbed by other load).</summary>
    public static DecodingRun Measure(ILanguageModel model, int length, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var best = new double[length];
        Array.Fill(best, double.PositiveInfinity);
        var tokens = new long[length];
        var device = ((nn.Module)model).parameters().First().device;
        using var noGrad = no_grad();
        ((nn.Module)model).eval();
        for (int round = 0; round < rounds; round++)
        {
            using var state = model.NewState(1);
            long token = SpecialTokens.Bos;
            for (int t = 0; t < length; t++)
            {
                tokens[t] = token;
                long started = Stopwatch.GetTimestamp();
                using (var scope = NewDisposeScope())
                {
                    var input = tensor(new[] { token }, [1, 1], device: device);
                    token = model.Step(input, state).argmax(-1).item<long>();
                }
                best[t] = Math.Min(best[t], Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        return new DecodingRun(best, tokens);
    }

    /// <summary>Mean of the last tenth of <paramref name="ms"/> ÷ mean of the first tenth (at least one position each).</summary>
    public static double Growth(double[] ms)
    {
        int tenth = Math.Max(1, ms.Length / 10);
        return Mean(ms, ms.Length - tenth, tenth) / Mean(ms, 0, tenth);
    }

    /// <summary>The mean of <paramref name="count"/> values from <paramref name="start"/>.</summary>
    public static double Mean(double[] ms, int start, int count)
    {
        double sum = 0;
        for (int i = start; i < start + count; i++) sum += ms[i];
        return sum / count;
    }
}
