using Composer.Tests.Harness;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Composer.Checkpoints;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Checkpoints;

// Interop with an independent implementation: tests/reference/safetensors_numpy.py, a numpy-only
// reader/writer written from the format description. Composer's files are read by it; the file it
// wrote (committed, so this direction needs no Python) is read by Composer and rebuilt byte for byte.
[Collection(SequentialCollection.Name)]
public sealed class SafetensorsInteropTests : IDisposable
{
    private const string SampleFile = "safetensors_numpy.safetensors";
    private readonly string _folder = Directory.CreateTempSubdirectory("composer-safetensors-interop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string SamplePath => Path.Combine(AppContext.BaseDirectory, "reference", SampleFile);

    private static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "reference", "safetensors_numpy.py");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("tests/reference/safetensors_numpy.py not found above " + AppContext.BaseDirectory);
        }
    }

    private static string RunScript(params string[] args)
    {
        var start = new ProcessStartInfo(PythonWithNumpyFactAttribute.Python, [Script, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "safetensors_numpy.py did not finish within two minutes");
        Assert.True(p.ExitCode == 0, $"safetensors_numpy.py {string.Join(' ', args)} failed with exit code {p.ExitCode}:\n{stderr.Result}");
        return stdout;
    }

    /// <summary>Element values as the script prints them: floats as double, integers as long, bools as bool.</summary>
    private static object[] Values(Tensor t) =>
        is_floating_point(t) ? SafetensorsTensorTests.Elements<double>(t.to(ScalarType.Float64)).Cast<object>().ToArray()
        : t.dtype == ScalarType.Bool ? SafetensorsTensorTests.Elements<bool>(t).Cast<object>().ToArray()
        : SafetensorsTensorTests.Elements<long>(t.to(ScalarType.Int64)).Cast<object>().ToArray();

    private static object[] Values(JsonElement values) => values.EnumerateArray().Select(v => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => v.TryGetInt64(out long l) && !v.GetRawText().Contains('.') && !v.GetRawText().Contains('e') ? l : (object)v.GetDouble(),
    }).ToArray();

    [PythonWithNumpyFact]
    public void NumpyReadsWhatComposerSaved()
    {
        string path = Path.Combine(_folder, "composer.safetensors");
        long live = LiveTensors.Settled();
        using (NewDisposeScope())
        {
            var tensors = new Dictionary<string, Tensor>
            {
                ["f64"] = tensor(new[] { -1.5, 0.1, 1e300, 5e-324 }, [2, 2]),
                ["f32"] = tensor(new[] { 0.1f, -3.5f, 1e-38f }, [3]),
                ["f16"] = SafetensorsTensorTests.FromValues(new[] { (Half)0.1, (Half)(-65504), (Half)6e-8 }, [3, 1]),
                ["bf16"] = SafetensorsTensorTests.FromValues(new[] { new BFloat16(0.1f), new BFloat16(-3e38f) }, [2]),
                ["i64"] = tensor(new[] { long.MinValue, long.MaxValue, 0L }, [3]),
                ["i32"] = tensor(new[] { int.MinValue, -1, int.MaxValue }, [1, 3]),
                ["u8"] = tensor(new byte[] { 0, 128, 255 }, [3]),
                ["bool"] = tensor(new[] { false, true, true }, [3]),
                ["layers.0.scalar"] = tensor(7.25f),
                ["empty"] = zeros([4, 0], ScalarType.Int32),
                ["ünï \"name\""] = ones(1),
            };
            var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ü\n\"q\"" };
            Safetensors.Save(path, tensors, metadata);

            using var json = JsonDocument.Parse(RunScript("read", path));
            var readMetadata = json.RootElement.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            Assert.Equal(metadata, readMetadata);
            var read = json.RootElement.GetProperty("tensors");
            Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), read.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            foreach (var (name, t) in tensors)
            {
                var entry = read.GetProperty(name);
                Assert.Equal(t.dtype.ToSafetensors().ToHeaderName(), entry.GetProperty("dtype").GetString());
                Assert.Equal(t.shape, entry.GetProperty("shape").EnumerateArray().Select(s => s.GetInt64()));
                Assert.Equal(Values(t), Values(entry.GetProperty("values")));
            }
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    [PythonWithNumpyFact]
    public void NumpyReadsInt8AndInt16FromTheByteLevelWriter()
    {
        string path = Path.Combine(_folder, "small-ints.safetensors");
        new SafetensorsWriter()
            .Add("i8", SafetensorsDType.I8, [3], new byte[] { 0x80, 0x00, 0x7F })
            .Add("i16", SafetensorsDType.I16, [2], new byte[] { 0xD4, 0xFE, 0xFF, 0x7F })
            .Save(path);
        using var json = JsonDocument.Parse(RunScript("read", path));
        var read = json.RootElement.GetProperty("tensors");
        Assert.Equal(new object[] { -128L, 0L, 127L }, Values(read.GetProperty("i8").GetProperty("values")));
        Assert.Equal(new object[] { -300L, 32767L }, Values(read.GetProperty("i16").GetProperty("values")));
    }

    [PythonWithNumpyFact]
    public void TheCommittedSampleIsWhatTheScriptWrites()
    {
        string path = Path.Combine(_folder, "fresh.safetensors");
        RunScript("write", path);
        Assert.Equal(File.ReadAllBytes(SamplePath), File.ReadAllBytes(path));
    }

    [Fact]
    public void ComposerReadsWhatNumpyWrote()
    {
        long live = LiveTensors.Settled();
        using (NewDisposeScope())
        using (var file = Safetensors.Load(SamplePath))
        {
            Assert.Equal(new Dictionary<string, string> { ["format"] = "np", ["producer"] = "safetensors_numpy.py" }, file.Metadata);
            Assert.Equal(12, file.Names.Count);

            void Check<T>(string name, long[] shape, T[] expected) where T : unmanaged
            {
                var t = file.Get(name);
                Assert.Equal(shape, t.shape);
                Assert.Equal(expected, SafetensorsTensorTests.Elements<T>(t));
            }
            Check("f64", [2, 3], Enumerable.Range(0, 6).Select(i => i * 0.5 - 1).ToArray());
            Check("f32", [3, 4], Enumerable.Range(0, 12).Select(i => (i - 3) / 8f).ToArray());
            Check("f16", [5], Enumerable.Range(0, 5).Select(i => (Half)((i - 2) * 0.25)).ToArray());
            Check("bf16", [2, 2], Enumerable.Range(0, 4).Select(i => new BFloat16((i + 1) * 1.5f)).ToArray());
            Check("i64", [4], new[] { -(1L << 40), -1, 0, 1L << 62 });
            Check("i32", [2, 2], new[] { -7, 0, 3, int.MaxValue });
            Check("u8", [1, 3], new byte[] { 0, 17, 255 });
            Check("bool", [4], new[] { true, false, true, true });
            Check("scalar", [], new[] { 2.5f });
            Check("empty", [2, 0], Array.Empty<float>());
            Check("i16", [3], new short[] { -300, 5, 32767 });
            Check("i8", [3], new sbyte[] { -128, 0, 127 });
            Assert.Equal(new byte[] { 0xD4, 0xFE, 0x05, 0x00, 0xFF, 0x7F }, file.GetBytes("i16"));
            Assert.Equal(new byte[] { 0x80, 0x00, 0x7F }, file.GetBytes("i8"));
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    [Fact]
    public void ComposerRebuildsNumpysFileByteForByte()
    {
        static byte[] Bytes<T>(IEnumerable<T> values) where T : unmanaged =>
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.ToArray().AsSpan()).ToArray();

        var rebuilt = new SafetensorsWriter()
            .Add("f64", SafetensorsDType.F64, [2, 3], Bytes(Enumerable.Range(0, 6).Select(i => i * 0.5 - 1)))
            .Add("f32", SafetensorsDType.F32, [3, 4], Bytes(Enumerable.Range(0, 12).Select(i => (i - 3) / 8f)))
            .Add("f16", SafetensorsDType.F16, [5], Bytes(Enumerable.Range(0, 5).Select(i => (Half)((i - 2) * 0.25))))
            .Add("bf16", SafetensorsDType.BF16, [2, 2], Bytes(Enumerable.Range(0, 4).Select(i => new BFloat16((i + 1) * 1.5f))))
            .Add("i64", SafetensorsDType.I64, [4], Bytes(new[] { -(1L << 40), -1, 0, 1L << 62 }))
            .Add("i32", SafetensorsDType.I32, [2, 2], Bytes(new[] { -7, 0, 3, int.MaxValue }))
            .Add("i16", SafetensorsDType.I16, [3], Bytes(new short[] { -300, 5, 32767 }))
            .Add("i8", SafetensorsDType.I8, [3], Bytes(new sbyte[] { -128, 0, 127 }))
            .Add("u8", SafetensorsDType.U8, [1, 3], new byte[] { 0, 17, 255 })
            .Add("bool", SafetensorsDType.Bool, [4], new byte[] { 1, 0, 1, 1 })
            .Add("scalar", SafetensorsDType.F32, [], Bytes(new[] { 2.5f }))
            .Add("empty", SafetensorsDType.F32, [2, 0], ReadOnlyMemory<byte>.Empty)
            .SetMetadata("producer", "safetensors_numpy.py")
            .SetMetadata("format", "np")
            .ToArray();
        Assert.Equal(File.ReadAllBytes(SamplePath), rebuilt);
    }

    [Fact]
    public void ReadsEveryCommittedReferenceFile()
    {
        // The reference harness writes its files with its own numpy writer (tests/reference/refio.py).
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "reference"), "*.safetensors");
        Assert.NotEmpty(files);
        foreach (var path in files)
        {
            var header = SafetensorsReader.ReadHeader(path);
            Assert.Equal(new FileInfo(path).Length, header.FileLength);
        }
    }
}
