using Composer.Tests.Harness;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Composer.Checkpoints;
using Composer.Tensors;
using Xunit;

namespace Composer.Tests.Checkpoints;

// Tensor-level Save/Load: every dtype round-trips bit for bit, 0-d and empty tensors, metadata,
// atomic replacement, and no native tensor leaks.
[Collection(SequentialCollection.Name)]
public sealed class SafetensorsTensorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("composer-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathFor(string name) => Path.Combine(_folder, name);

    private static void RoundTrip<T>(T[] values, long[] shape, string path) where T : unmanaged, IEquatable<T>
    {
        long live = LiveTensors.Settled();
        using (var scope = new TensorScope())
        {
            var saved = Torch.From<T>(values, shape);
            Safetensors.Save(path, new Dictionary<string, Tensor> { ["t"] = saved });
            using var file = Safetensors.Load(path);
            var loaded = file.Get("t");
            Assert.Equal(saved.DType, loaded.DType);
            Assert.Equal(shape, loaded.Shape);
            Assert.Equal(Device.Cpu, loaded.Device);
            Assert.Equal(values, loaded.ToArray<T>());
        }
        Assert.Equal(live, Torch.LiveTensors);
    }

    [Fact] public void Float64() => RoundTrip(new[] { 1.5, -0.0, double.MaxValue, double.Epsilon, double.NaN, double.NegativeInfinity }, [2, 3], PathFor("f64.safetensors"));
    [Fact] public void Float32() => RoundTrip(new[] { 1.5f, -2.25f, float.MinValue, 1e-40f }, [4], PathFor("f32.safetensors"));
    [Fact] public void Float16() => RoundTrip(new[] { (Half)1.5, (Half)(-0.333), Half.MaxValue, Half.Epsilon }, [2, 2], PathFor("f16.safetensors"));
    [Fact] public void BFloat16() => RoundTrip(new[] { Tensors.BFloat16.FromSingle(3.14f), Tensors.BFloat16.FromSingle(-1e30f), new Tensors.BFloat16(0x0001) }, [3, 1], PathFor("bf16.safetensors"));
    [Fact] public void Int64() => RoundTrip(new[] { long.MinValue, -1L, 0L, long.MaxValue }, [1, 4], PathFor("i64.safetensors"));
    [Fact] public void Int32() => RoundTrip(new[] { int.MinValue, 7, int.MaxValue }, [3], PathFor("i32.safetensors"));
    [Fact] public void UInt8() => RoundTrip(new byte[] { 0, 1, 128, 255 }, [2, 1, 2], PathFor("u8.safetensors"));
    [Fact] public void Bool() => RoundTrip(new[] { true, false, false, true, true }, [5], PathFor("bool.safetensors"));
    [Fact] public void ZeroDimensional() => RoundTrip(new[] { 42.0f }, [], PathFor("scalar.safetensors"));
    [Fact] public void Empty() => RoundTrip(Array.Empty<long>(), [3, 0, 2], PathFor("empty.safetensors"));

    [Fact]
    public void ManyTensorsAndMetadata()
    {
        string path = PathFor("model.safetensors");
        long live = LiveTensors.Settled();
        using (new TensorScope())
        {
            var tensors = new Dictionary<string, Tensor>
            {
                ["layers.0.weight"] = Torch.Randn(4, 3),
                ["layers.0.bias"] = Torch.Zeros([3], DType.Float16),
                ["embed"] = Torch.Randn([5, 2], DType.Float64),
                ["step"] = Torch.Scalar(12L),
                ["mask"] = Torch.From(new[] { true, false }),
                ["none"] = Torch.Zeros([0], DType.BFloat16),
            };
            var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"\n" };
            Safetensors.Save(path, tensors, metadata);

            using var file = Safetensors.Load(path);
            Assert.Equal(metadata, file.Metadata);
            Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), file.Names.Order(StringComparer.Ordinal));
            var all = file.GetAll();
            foreach (var (name, t) in tensors)
            {
                Assert.Equal(t.DType, all[name].DType);
                Assert.Equal(t.Shape, all[name].Shape);
                Assert.Equal(t.To(DType.Float64).ToArray<double>(), all[name].To(DType.Float64).ToArray<double>());
            }
        }
        Assert.Equal(live, Torch.LiveTensors);
    }

    [Fact]
    public void TensorsThatRequireGradAreSavedByValue()
    {
        string path = PathFor("grad.safetensors");
        using var scope = new TensorScope();
        var w = Torch.From<float>([1, 2, 3], [3], requiresGrad: true);
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = w * 2 });
        using var file = Safetensors.Load(path);
        var loaded = file.Get("w");
        Assert.False(loaded.RequiresGrad);
        Assert.Equal(new float[] { 2, 4, 6 }, loaded.ToArray<float>());
    }

    [Fact]
    public void Int8AndInt16AreReadableAsBytes()
    {
        string path = PathFor("small-ints.safetensors");
        new SafetensorsWriter()
            .Add("i8", SafetensorsDType.I8, [2], new byte[] { 0xFF, 0x01 })
            .Add("i16", SafetensorsDType.I16, [1], new byte[] { 0x00, 0x80 })
            .Save(path);
        using var file = Safetensors.Load(path);
        Assert.Equal(new byte[] { 0xFF, 0x01 }, file.GetBytes("i8"));
        Assert.Equal(new byte[] { 0x00, 0x80 }, file.GetBytes("i16"));
        Assert.Contains("GetBytes", Assert.Throws<NotSupportedException>(() => file.Get("i16")).Message);
    }

    [Fact]
    public void SavedFileMatchesTheByteLevelWriter()
    {
        string path = PathFor("same.safetensors");
        var values = new float[] { 1, 2, 3, 4 };
        using (new TensorScope())
            Safetensors.Save(path, new Dictionary<string, Tensor> { ["b"] = Torch.From<float>(values, [2, 2]), ["a"] = Torch.Scalar((byte)7) },
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
        using var scope = new TensorScope();
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["x"] = Torch.Ones(2) });
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["x"] = Torch.Zeros(3) });
        using (var file = Safetensors.Load(path)) Assert.Equal(new float[] { 0, 0, 0 }, file.Get("x").ToArray<float>());
        Assert.Equal(new[] { path }, Directory.GetFiles(_folder));
    }

    [Fact]
    public void FailedSaveKeepsTheOldFile()
    {
        string path = PathFor("keep.safetensors");
        using var scope = new TensorScope();
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["x"] = Torch.Ones(2) });
        var before = File.ReadAllBytes(path);
        var disposed = Torch.Ones(2);
        disposed.Dispose();
        // Fails while planning the header, before any file is created.
        Assert.Throws<ObjectDisposedException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["x"] = disposed }));
        Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["__metadata__"] = Torch.Ones(1) }));
        // Fails in the middle of writing the temporary file: it must be removed and the target untouched.
        var switching = new SwitchingDictionary(Torch.Ones(2), disposed);
        Assert.Throws<ObjectDisposedException>(() => Safetensors.Save(path, switching));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_folder));
    }

    [Fact]
    public void MissingNameAndDisposedFile()
    {
        string path = PathFor("one.safetensors");
        using var scope = new TensorScope();
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["only"] = Torch.Ones(1) });
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
