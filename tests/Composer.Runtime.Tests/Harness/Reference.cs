using System;
using System.Collections.Concurrent;
using System.IO;
using Composer.Checkpoints;
using Composer.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Harness;

/// <summary>
/// Runs a computation on inputs stored by a PyTorch reference script (tests/reference/*.py) and checks
/// outputs and input gradients against PyTorch's. See tests/reference/refcases.py for the file layout.
/// </summary>
public static class Reference
{
    /// <summary>Relative tolerance in the max norm: max|actual − expected| ≤ Tolerance · max|expected|.</summary>
    public const double Tolerance = 1e-5;

    private static readonly ConcurrentDictionary<string, string> Paths = new();

    /// <summary>Checks a single-output computation.</summary>
    public static void Check(string file, string caseName, Func<ReferenceCase, Tensor> body, double tolerance = Tolerance) =>
        Check(file, caseName, c => new[] { body(c) }, tolerance);

    /// <summary>Checks a computation with several outputs (in the order the script passed them to <c>c.output</c>).</summary>
    public static void Check(string file, string caseName, Func<ReferenceCase, Tensor[]> body, double tolerance = Tolerance) =>
        Check(file, caseName, module: null, body, tolerance);

    /// <summary>
    /// Checks a module: loads the weights the script registered with <c>c.module(m)</c> into
    /// <paramref name="module"/> (same dotted names), runs <paramref name="body"/>, and compares outputs,
    /// input gradients and parameter gradients. The module's gradients are cleared afterwards.
    /// </summary>
    public static void Check(string file, string caseName, nn.Module module, Func<ReferenceCase, Tensor> body, double tolerance = Tolerance) =>
        Check(file, caseName, module, c => new[] { body(c) }, tolerance);

    /// <summary>Checks a module with several outputs.</summary>
    public static void Check(string file, string caseName, nn.Module? module, Func<ReferenceCase, Tensor[]> body, double tolerance = Tolerance)
    {
        long liveBefore = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        using (var data = Safetensors.Load(PathOf(file)))
        {
            var c = new ReferenceCase(data, caseName);
            if (module is not null) StateDicts.Load(module, c.Parameters());
            var outputs = body(c);
            Assert.False(c.HasOutput(outputs.Length),
                $"{file}/{caseName}: the reference has more outputs than the {outputs.Length} the test returned");
            bool anyUpstream = false;
            for (int k = 0; k < outputs.Length; k++)
            {
                var expected = c.Stored($"out/{k}") ?? throw new Xunit.Sdk.XunitException($"{file}/{caseName}: the reference has no output {k}");
                AssertClose(outputs[k], expected, $"{file}/{caseName} output {k}", tolerance);
                var upstream = c.Stored($"upstream/{k}");
                if (upstream is null) continue;
                Assert.True(outputs[k].requires_grad, $"{file}/{caseName} output {k}: PyTorch's output requires grad but Composer's does not");
                // Backward with upstream g_k for every k accumulates exactly the gradient of
                // L = sum_k sum(out_k * g_k), the loss the reference script differentiated.
                outputs[k].backward([upstream], retain_graph: true);
                anyUpstream = true;
            }
            if (anyUpstream)
            {
                double gradientScale = GradientScale(c, module);
                foreach (var (name, input) in c.Inputs)
                {
                    var expectedGrad = c.Stored($"grad/{name}");
                    if (expectedGrad is null) continue;
                    var grad = input.grad ?? zeros(input.shape, input.dtype);
                    AssertGradientClose(grad, expectedGrad, $"{file}/{caseName} gradient of {name}", tolerance, gradientScale);
                }
                if (module is not null)
                {
                    foreach (var (name, parameter) in module.named_parameters())
                    {
                        var expectedGrad = c.Stored($"pgrad/{name}") ?? throw new Xunit.Sdk.XunitException($"{file}/{caseName}: the reference has no gradient for parameter {name}");
                        var grad = parameter.grad ?? zeros(parameter.shape, parameter.dtype);
                        AssertGradientClose(grad, expectedGrad, $"{file}/{caseName} gradient of parameter {name}", tolerance, gradientScale);
                    }
                }
            }
            if (module is not null) module.zero_grad(set_to_none: true);
        }
        Assert.Equal(liveBefore, LiveTensors.Count);
    }

    /// <summary>
    /// Below this fraction of the case's largest gradient, a reference gradient is zero to float32
    /// rounding: a sum that cancels exactly in real arithmetic (the key bias under softmax's shift
    /// invariance, for one) leaves residues of order eps × its terms, which differ between any two
    /// correct summation orders. Relative to itself such a gradient is pure noise.
    /// </summary>
    public const double ZeroGradient = 1e-6;

    /// <summary>
    /// A gradient within the relative tolerance, except one the reference computes as zero to rounding
    /// (see <see cref="ZeroGradient"/>), which must be zero to rounding in Composer too.
    /// </summary>
    private static void AssertGradientClose(Tensor actual, Tensor expected, string what, double tolerance, double gradientScale)
    {
        double floor = ZeroGradient * gradientScale;
        if (is_floating_point(expected.dtype) && MaxAbs(expected) < floor)
        {
            double composer = MaxAbs(actual);
            Assert.True(composer < floor,
                $"{what}: PyTorch's gradient is zero to rounding (max {MaxAbs(expected):E3}, the case's largest gradient {gradientScale:E3}), Composer's is not (max {composer:E3})");
            return;
        }
        AssertClose(actual, expected, what, tolerance);
    }

    // The largest reference gradient of the case, over its inputs and the module's parameters.
    private static double GradientScale(ReferenceCase c, nn.Module? module)
    {
        double scale = 0;
        foreach (var (name, _) in c.Inputs)
            if (c.Stored($"grad/{name}") is { } g && is_floating_point(g.dtype)) scale = Math.Max(scale, MaxAbs(g));
        if (module is not null)
            foreach (var (name, _) in module.named_parameters())
                if (c.Stored($"pgrad/{name}") is { } g) scale = Math.Max(scale, MaxAbs(g));
        return scale;
    }

    private static double MaxAbs(Tensor t)
    {
        if (t.numel() == 0) return 0;
        using var scope = NewDisposeScope();
        return t.detach().to(ScalarType.Float64).abs().max().ToDouble();
    }

    /// <summary>Asserts shape, dtype and values: floating within the relative tolerance, others exactly.</summary>
    public static void AssertClose(Tensor actual, Tensor expected, string what, double tolerance = Tolerance)
    {
        Assert.True(expected.dtype == actual.dtype, $"{what}: dtype {actual.dtype}, PyTorch has {expected.dtype}");
        Assert.True(expected.shape.AsSpan().SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(", ", actual.shape)}], PyTorch has [{string.Join(", ", expected.shape)}]");
        using var scope = NewDisposeScope();
        if (!is_floating_point(expected.dtype))
        {
            Assert.True(actual.equal(expected).all().item<bool>(), $"{what}: values differ from PyTorch's");
            return;
        }
        var a = actual.detach().to(ScalarType.Float64).data<double>().ToArray();
        var e = expected.to(ScalarType.Float64).data<double>().ToArray();
        double error = 0, scale = 0;
        for (int i = 0; i < e.Length; i++)
        {
            if (double.IsNaN(e[i]) || double.IsNaN(a[i]))
            {
                Assert.True(double.IsNaN(e[i]) && double.IsNaN(a[i]), $"{what}: element {i} is {a[i]}, PyTorch has {e[i]}");
                continue;
            }
            if (double.IsInfinity(e[i]) || double.IsInfinity(a[i]))
            {
                Assert.True(a[i] == e[i], $"{what}: element {i} is {a[i]}, PyTorch has {e[i]}");
                continue;
            }
            error = Math.Max(error, Math.Abs(a[i] - e[i]));
            scale = Math.Max(scale, Math.Abs(e[i]));
        }
        LogError(what, scale > 0 ? error / scale : error);
        Assert.True(error <= tolerance * scale,
            $"{what}: max |Composer − PyTorch| = {error:E3}, more than {tolerance:E0} × max|PyTorch| = {tolerance * scale:E3}");
    }

    private static readonly object LogLock = new();

    /// <summary>
    /// With COMPOSER_REFERENCE_ERRORS set to a file, appends each comparison's relative error
    /// (max |Composer − PyTorch| / max |PyTorch|) to it, so a run can report how far within the tolerance it is.
    /// </summary>
    private static void LogError(string what, double relative)
    {
        string? log = Environment.GetEnvironmentVariable("COMPOSER_REFERENCE_ERRORS");
        if (string.IsNullOrEmpty(log)) return;
        lock (LogLock) File.AppendAllText(log, $"{what}\t{relative.ToString("E2", System.Globalization.CultureInfo.InvariantCulture)}\n");
    }

    private static string PathOf(string file) => Paths.GetOrAdd(file, f =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "reference", f + ".safetensors");
        if (!File.Exists(path))
            throw new FileNotFoundException($"reference file {path} is missing; regenerate it with tests/reference/generate.sh and commit tests/reference/data/{f}.safetensors");
        return path;
    });
}
