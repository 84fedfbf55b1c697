using Composer.Tests.Harness;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Composer.Checkpoints;
using System.Runtime.InteropServices;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Checkpoints;

// Tensor-level Save/Load: every dtype round-trips bit for bit, 0-d and empty tensors, metadata,
// atomic replacement, and no native tensor leaks.
[Collection(SequentialCollection.Name)]
public sealed class SafetensorsTensorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("composer-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathFor(string name) => Path.Combine(_folder, name);

    /// <summary>A CPU tensor of <paramref name="values"/>, whatever their element type.</summary>
    internal static Tensor FromValues<T>(T[] values, long[] shape) where T : unmanaged
    {
        // By the element type, not by pattern on the array: the runtime treats a byte[] as an sbyte[] too.
        var dtype = typeof(T) == typeof(double) ? ScalarType.Float64
            : typeof(T) == typeof(float) ? ScalarType.Float32
            : typeof(T) == typeof(Half) ? ScalarType.Float16
            : typeof(T) == typeof(BFloat16) ? ScalarType.BFloat16
            : typeof(T) == typeof(long) ? ScalarType.Int64
            : typeof(T) == typeof(int) ? ScalarType.Int32
            : typeof(T) == typeof(short) ? ScalarType.Int16
            : typeof(T) == typeof(sbyte) ? ScalarType.Int8
            : typeof(T) == typeof(byte) ? ScalarType.Byte
            : typeof(T) == typeof(bool) ? ScalarType.Bool
            : throw new ArgumentException($"no tensor type holds {typeof(T).Name}");
        var t = empty(shape, dtype);
        MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(t.bytes);
        return t;
    }

    /// <summary>The elements of a CPU tensor (TorchSharp's accessor throws for an empty tensor of more than one dimension).</summary>
    internal static T[] Elements<T>(Tensor t) where T : unmanaged => t.numel() == 0 ? [] : t.data<T>().ToArray();

    private static void RoundTrip<T>(T[] values, long[] shape, string path) where T : unmanaged, IEquatable<T>
    {
        long live = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        {
            var saved = FromValues(values, shape);
            Safetensors.Save(path, new Dictionary<string, Tensor> { ["t"] = saved });
            using var file = Safetensors.Load(path);
            var loaded = file.Get("t");
            Assert.Equal(saved.dtype, loaded.dtype);
            Assert.Equal(shape, loaded.shape);
            Assert.Equal(DeviceType.CPU, loaded.device_type);
            Assert.Equal(values, Elements<T>(loaded));
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    [Fact] public void Float64() => RoundTrip(new[] { 1.5, -0.0, double.MaxValue, double.Epsilon, double.NaN, double.NegativeInfinity }, [2, 3], PathFor("f64.safetensors"));
    [Fact] public void Float32() => RoundTrip(new[] { 1.5f, -2.25f, float.MinValue, 1e-40f }, [4], PathFor("f32.safetensors"));
    [Fact] public void Float16() => RoundTrip(new[] { (Half)1.5, (Half)(-0.333), Half.MaxValue, Half.Epsilon }, [2, 2], PathFor("f16.safetensors"));
    [Fact] public void BFloat16() => RoundTrip(new[] { new TorchSharp.BFloat16(3.14f), new TorchSharp.BFloat16(-1e30f), TorchSharp.BFloat16.FromRawValue(0x0001) }, [3, 1], PathFor("bf16.safetensors"));
    [Fact] public void Int64() => RoundTrip(new[] { long.MinValue, -1L, 0L, long.MaxValue }, [1, 4], PathFor("i64.safetensors"));
    [Fact] public void Int32() => RoundTrip(new[] { int.MinValue, 7, int.MaxValue }, [3], PathFor("i32.safetensors"));
    [Fact] public void Int16() => RoundTrip(new short[] { short.MinValue, -2, short.MaxValue }, [3], PathFor("i16.safetensors"));
    [Fact] public void Int8() => RoundTrip(new sbyte[] { sbyte.MinValue, 0, sbyte.MaxValue, -1 }, [2, 2], PathFor("i8.safetensors"));
    [Fact] public void UInt8() => RoundTrip(new byte[] { 0, 1, 128, 255 }, [2, 1, 2], PathFor("u8.safetensors"));
    [Fact] public void Bool() => RoundTrip(new[] { true, false, false, true, true }, [5], PathFor("bool.safetensors"));
    [Fact] public void ZeroDimensional() => RoundTrip(new[] { 42.0f }, [], PathFor("scalar.safetensors"));
    [Fact] public void Empty() => RoundTrip(Array.Empty<long>(), [3, 0, 2], PathFor("empty.safetensors"));

    [Fact]
    public void ManyTensorsAndMetadata()
    {
        string path = PathFor("model.safetensors");
        long live = LiveTensors.Settled();
        using (NewDisposeScope())
        {
            var tensors = new Dictionary<string, Tensor>
            {
                ["layers.0.weight"] = randn(4, 3),
                ["layers.0.bias"] = zeros([3], ScalarType.Float16),
                ["embed"] = randn([5, 2], ScalarType.Float64),
                ["step"] = tensor(12L),
                ["mask"] = tensor(new[] { true, false }),
                ["none"] = zeros([0], ScalarType.BFloat16),
            };
            var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"\n" };
            Safetensors.Save(path, tensors, metadata);

            using var file = Safetensors.Load(path);
            Assert.Equal(metadata, file.Metadata);
            Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), file.Names.Order(StringComparer.Ordinal));
            var all = file.GetAll();
            foreach (var (name, t) in tensors)
            {
                Assert.Equal(t.dtype, all[name].dtype);
                Assert.Equal(t.shape, all[name].shape);
                Assert.Equal(Elements<double>(t.to(ScalarType.Float64)), Elements<double>(all[name].to(ScalarType.Float64)));
            }
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    [Fact]
    public void TensorsThatRequireGradAreSavedByValue()
    {
        string path = PathFor("grad.safetensors");
        using var scope = NewDisposeScope();
        var w = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = w * 2 });
        using var file = Safetensors.Load(path);
        var loaded = file.Get("w");
        Assert.False(loaded.requires_grad);
        Assert.Equal(new float[] { 2, 4, 6 }, loaded.data<float>().ToArray());
    }

    [Fact]
    public void Int8AndInt16AreReadableAsBytesAndAsTensors()
    {
        string path = PathFor("small-ints.safetensors");
        new SafetensorsWriter()
            .Add("i8", SafetensorsDType.I8, [2], new byte[] { 0xFF, 0x01 })
            .Add("i16", SafetensorsDType.I16, [1], new byte[] { 0x00, 0x80 })
            .Save(path);
        using var file = Safetensors.Load(path);
        Assert.Equal(new byte[] { 0xFF, 0x01 }, file.GetBytes("i8"));
        Assert.Equal(new byte[] { 0x00, 0x80 }, file.GetBytes("i16"));
        using var scope = NewDisposeScope();
        Assert.Equal(new sbyte[] { -1, 1 }, file.Get("i8").data<sbyte>().ToArray());
        Assert.Equal(new short[] { short.MinValue }, file.Get("i16").data<short>().ToArray());
    }

    [Fact]
    public void SavedFileMatchesTheByteLevelWriter()
    {
        string path = PathFor("same.safetensors");
        var values = new float[] { 1, 2, 3, 4 };
        using (NewDisposeScope())
            Safetensors.Save(path, new Dictionary<string, Tensor> { ["b"] = tensor(values, [2, 2]), ["a"] = tensor((byte)7) },
                new Dictionary<string, string> { ["k"] = "v" });
        var expected = new SafetensorsWriter()
            .Add("a", SafetensorsDType.U8, [], new byte[] { 7 })
            .Add("b", SafetensorsDType.F32, [2, 2], values.SelectMany(BitConverter.GetBytes).ToArray())
            .SetMetadata("k", "v")
            .ToArray();
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void SaveReplacesAtomicallyAndLeavesNoTemporaryFile()
    {
        string path = PathFor("ckpt.safetensors");
        using var scope = NewDisposeScope();
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["x"] = ones(2) });
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["x"] = zeros(3) });
        using (var file = Safetensors.Load(path)) Assert.Equal(new float[] { 0, 0, 0 }, file.Get("x").data<float>().ToArray());
        Assert.Equal(new[] { path }, Directory.GetFiles(_folder));
    }

    [Fact]
    public void FailedSaveKeepsTheOldFile()
    {
        string path = PathFor("keep.safetensors");
        using var scope = NewDisposeScope();
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["x"] = ones(2) });
        var before = File.ReadAllBytes(path);
        var disposed = ones(2);
        disposed.Dispose();
        // Fails while planning the header, before any file is created (TorchSharp refuses a disposed
        // tensor with InvalidOperationException, "Tensor invalid -- empty handle").
        Assert.Throws<InvalidOperationException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["x"] = disposed }));
        Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["__metadata__"] = ones(1) }));
        // Fails in the middle of writing the temporary file: it must be removed and the target untouched.
        var switching = new SwitchingDictionary(ones(2), disposed);
        Assert.Throws<InvalidOperationException>(() => Safetensors.Save(path, switching));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_folder));
    }

    [Fact]
    public void MissingNameAndDisposedFile()
    {
        string path = PathFor("one.safetensors");
        using var scope = NewDisposeScope();
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["only"] = ones(1) });
        var file = Safetensors.Load(path);
        var e = Assert.Throws<KeyNotFoundException>(() => file.Get("other"));
        Assert.Contains("'only'", e.Message);
        Assert.Contains(path, e.Message);
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.Get("only"));
    }

    [Fact]
    public void LoadingACorruptFileNamesIt()
    {
        string path = PathFor("corrupt.safetensors");
        File.WriteAllBytes(path, SafetensorsReaderTests.FileWith("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12));
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("needs 16 bytes", e.Message);
    }

    // Hands out a live tensor while the header is planned and a disposed one when the data is written.
    private sealed class SwitchingDictionary(Tensor whilePlanning, Tensor whileWriting) : IReadOnlyDictionary<string, Tensor>
    {
        public Tensor this[string key] => whileWriting;
        public IEnumerable<string> Keys => ["x"];
        public IEnumerable<Tensor> Values => [whilePlanning];
        public int Count => 1;
        public bool ContainsKey(string key) => key == "x";
        public bool TryGetValue(string key, out Tensor value) { value = whileWriting; return key == "x"; }
        public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() { yield return new("x", whilePlanning); }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
