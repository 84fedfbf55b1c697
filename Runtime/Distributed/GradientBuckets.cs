using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Composer.Distributed;

/// <summary>
/// Sums the parameters' gradients over all ranks in one pass: the gradients are copied into a few flat
/// buffers (buckets of at most <see cref="BucketBytes"/>, one dtype and device each), the buckets are
/// all-reduced together with a few float64 values that travel with them (the loss), and the sums are
/// copied back. The buffers are made once and reused every update.
/// </summary>
/// <remarks>
/// A parameter that has no gradient on some rank (a rank whose shard of the batch was empty, or a
/// parameter its rows never reached) contributes zeros; one that has no gradient on any rank keeps
/// none, as in a single process (AdamW then leaves it alone). Half-precision gradients are summed in
/// float32 buckets, since MPI has no half types.
/// </remarks>
internal sealed class GradientBuckets : IDisposable
{
    /// <summary>The most bytes a bucket holds (PyTorch DDP's default is 25 MiB as well): big enough that each all-reduce moves a lot at once, small enough to bound the extra memory.</summary>
    public const long BucketBytes = 25L << 20;

    private readonly Parameter[] _parameters;
    private readonly Bucket[] _buckets;
    // [extra values…, then per parameter: ranks that had a gradient]
    private readonly Tensor _values;
    private readonly int _extra;

    private sealed record Bucket(Tensor Buffer, int[] Members, long[] Offsets);

    /// <summary>Buckets for <paramref name="parameters"/> (in the same order on every rank) and <paramref name="extraValues"/> float64 values reduced with them.</summary>
    public GradientBuckets(IReadOnlyList<Parameter> parameters, int extraValues, long bucketBytes = BucketBytes)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        _extra = extraValues;
        var buckets = new List<Bucket>();
        foreach (var group in Enumerable.Range(0, _parameters.Length).GroupBy(i => (BufferType(_parameters[i].dtype), _parameters[i].device.ToString())))
        {
            var (dtype, _) = group.Key;
            long elementBytes = dtype == ScalarType.Float64 ? 8 : 4;
            var members = new List<int>();
            long elements = 0;
            foreach (int i in group)
            {
                long n = _parameters[i].numel();
                if (members.Count > 0 && (elements + n) * elementBytes > bucketBytes)
                {
                    buckets.Add(NewBucket(members, dtype, _parameters[members[0]].device));
                    members.Clear();
                    elements = 0;
                }
                members.Add(i);
                elements += n;
            }
            if (members.Count > 0) buckets.Add(NewBucket(members, dtype, _parameters[members[0]].device));
        }
        _buckets = [.. buckets];
        _values = zeros(extraValues + _parameters.Length, ScalarType.Float64).DetachFromDisposeScope();
    }

    /// <summary>Number of buckets (each one all-reduce).</summary>
    public int Count => _buckets.Length;

    /// <summary>
    /// Replaces every parameter's gradient by its sum over the ranks and <paramref name="extra"/> by the
    /// sums of the ranks' values. Tensors made on the way belong to the caller's dispose scope.
    /// </summary>
    public void Reduce(ICollectives collectives, Span<double> extra)
    {
        if (extra.Length != _extra) throw new ArgumentException($"expected {_extra} extra values, got {extra.Length}", nameof(extra));
        using var noGrad = no_grad();
        var values = new double[_extra + _parameters.Length];
        extra.CopyTo(values);
        foreach (var bucket in _buckets)
        {
            for (int j = 0; j < bucket.Members.Length; j++)
            {
                int i = bucket.Members[j];
                var slice = bucket.Buffer.narrow(0, bucket.Offsets[j], _parameters[i].numel());
                using var grad = _parameters[i].grad;
                if (grad is null)
                {
                    slice.zero_();
                }
                else
                {
                    slice.copy_(grad.reshape(-1));
                    values[_extra + i] = 1;
                }
            }
        }
        MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(_values.bytes);

        collectives.AllReduceSum([.. _buckets.Select(b => b.Buffer), _values]);

        var sums = MemoryMarshal.Cast<byte, double>(_values.bytes);
        sums[.._extra].CopyTo(extra);
        foreach (var bucket in _buckets)
        {
            for (int j = 0; j < bucket.Members.Length; j++)
            {
                int i = bucket.Members[j];
                if (sums[_extra + i] == 0) continue;   // no rank had a gradient: keep none
                var p = _parameters[i];
                var sum = bucket.Buffer.narrow(0, bucket.Offsets[j], p.numel()).view(p.shape);
                using var grad = p.grad;
                if (grad is null) p.grad = sum.to(p.dtype, copy: true);
                else grad.copy_(sum);
            }
        }
    }

    // Gradients are summed in their own dtype, half precision in float32.
    private static ScalarType BufferType(ScalarType dtype) => dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    private Bucket NewBucket(List<int> members, ScalarType dtype, Device device)
    {
        var offsets = new long[members.Count];
        long total = 0;
        for (int j = 0; j < members.Count; j++)
        {
            offsets[j] = total;
            total += _parameters[members[j]].numel();
        }
        return new Bucket(zeros(total, dtype, device).DetachFromDisposeScope(), [.. members], offsets);
    }

    /// <summary>Releases the buffers.</summary>
    public void Dispose()
    {
        foreach (var bucket in _buckets) bucket.Buffer.Dispose();
        _values.Dispose();
    }
}
