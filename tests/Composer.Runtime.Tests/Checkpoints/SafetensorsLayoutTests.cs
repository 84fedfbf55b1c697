using System;
using System.Buffers.Binary;
using System.Linq;
using System.Text;
using Composer.Checkpoints;
using Xunit;

namespace Composer.Tests.Checkpoints;

// The byte-level writer's output checked byte for byte: length prefix, compact JSON, space padding to
// a multiple of 8, tensor order (element size descending, then name), buffer placement.
public class SafetensorsLayoutTests
{
    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static string HeaderText(byte[] file)
    {
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return Encoding.UTF8.GetString(file, 8, (int)n);
    }

    [Fact]
    public void OneTensorMatchesTheFormatsCanonicalBytes()
    {
        // The reference implementation's own serialization example: one F32 tensor "attn.0" of shape [1, 2, 3].
        var file = new SafetensorsWriter().Add("attn.0", SafetensorsDType.F32, [1, 2, 3], Floats(0, 1, 2, 3, 4, 5)).ToArray();

        const string json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        Assert.Equal(64, json.Length);                       // already a multiple of 8: no padding
        Assert.Equal(64UL, BinaryPrimitives.ReadUInt64LittleEndian(file));
        Assert.Equal(json, HeaderText(file));
        Assert.Equal(Floats(0, 1, 2, 3, 4, 5), file[72..]);
    }

    [Fact]
    public void HeaderIsPaddedWithSpacesToAMultipleOfEight()
    {
        var file = new SafetensorsWriter().Add("attn0", SafetensorsDType.F32, [1, 1, 2, 3], Floats(0, 1, 2, 3, 4, 5)).ToArray();

        const string json = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
        Assert.Equal(65, json.Length);
        Assert.Equal(72UL, BinaryPrimitives.ReadUInt64LittleEndian(file));
        Assert.Equal(json + new string(' ', 7), HeaderText(file));
        Assert.Equal(8 + 72 + 24, file.Length);
    }

    [Fact]
    public void EmptyFileIsTheEmptyObjectPadded()
    {
        var file = new SafetensorsWriter().ToArray();
        Assert.Equal(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32 }, file);
    }

    [Fact]
    public void MetadataComesFirstWithKeysSorted()
    {
        var file = new SafetensorsWriter().SetMetadata("z", "last").SetMetadata("format", "pt").ToArray();
        Assert.Equal("{\"__metadata__\":{\"format\":\"pt\",\"z\":\"last\"}}" + new string(' ', 5), HeaderText(file));
    }

    [Fact]
    public void TensorsAreOrderedByElementSizeThenName()
    {
        var w = new SafetensorsWriter()
            .Add("a_bool", SafetensorsDType.Bool, [3], new byte[] { 1, 0, 1 })
            .Add("b_f64", SafetensorsDType.F64, [1], new byte[8])
            .Add("a_i16", SafetensorsDType.I16, [1], new byte[2])
            .Add("c_f32", SafetensorsDType.F32, [1], new byte[4])
            .Add("a_i64", SafetensorsDType.I64, [2], new byte[16])
            .Add("b_i32", SafetensorsDType.I32, [1], new byte[4])
            .Add("a_u8", SafetensorsDType.U8, [1], new byte[1]);
        var header = SafetensorsReader.ReadHeader(w.ToArray());

        Assert.Equal(new[] { "a_i64", "b_f64", "b_i32", "c_f32", "a_i16", "a_bool", "a_u8" }, header.Names.ToArray());
        Assert.Equal(new long[] { 0, 16, 24, 28, 32, 34, 37 }, header.Entries.Select(e => e.Begin).ToArray());
        foreach (var e in header.Entries) Assert.Equal(0, (header.DataStart + e.Begin) % e.DType.ElementSize());
    }

    [Fact]
    public void NamesAreOrderedByTheirUtf8Bytes()
    {
        // U+FF21 sorts before U+1F600 in UTF-16 code units but after it in UTF-8 (and code point) order.
        var w = new SafetensorsWriter()
            .Add("\uFF21", SafetensorsDType.U8, [], new byte[1])
            .Add("\U0001F600", SafetensorsDType.U8, [], new byte[1])
            .Add("B", SafetensorsDType.U8, [], new byte[1]);
        Assert.Equal(new[] { "B", "\uFF21", "\U0001F600" }, SafetensorsReader.ReadHeader(w.ToArray()).Names.ToArray());
    }

    [Fact]
    public void NamesAreEscapedAsCompactJson()
    {
        var file = new SafetensorsWriter().Add("q\"b\\\n\u0001é", SafetensorsDType.U8, [], new byte[] { 7 }).ToArray();
        Assert.StartsWith("{\"q\\\"b\\\\\\n\\u0001é\":", HeaderText(file));
        Assert.Equal("q\"b\\\n\u0001é", SafetensorsReader.ReadHeader(file).Entries.Single().Name);
    }

    [Fact]
    public void SameInputsGiveIdenticalBytes()
    {
        byte[] Build(bool reversed)
        {
            var w = new SafetensorsWriter();
            var names = Enumerable.Range(0, 20).Select(i => $"layer.{i}.weight");
            foreach (var n in reversed ? names.Reverse() : names) w.Add(n, SafetensorsDType.F16, [2], new byte[] { 1, 2, 3, 4 });
            return w.SetMetadata("b", "2").SetMetadata("a", "1").ToArray();
        }
        Assert.Equal(Build(false), Build(true));
    }

    [Fact]
    public void WriterRejectsMistakes()
    {
        var w = new SafetensorsWriter().Add("x", SafetensorsDType.F32, [2], new byte[8]);
        Assert.Contains("already added", Assert.Throws<ArgumentException>(() => w.Add("x", SafetensorsDType.F32, [2], new byte[8])).Message);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => w.Add("__metadata__", SafetensorsDType.U8, [], new byte[1])).Message);
        Assert.Contains("needs 8", Assert.Throws<ArgumentException>(() => w.Add("y", SafetensorsDType.F32, [2], new byte[7])).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => w.Add("z", SafetensorsDType.F32, [-1], new byte[0])).Message);
        Assert.Contains("overflows", Assert.Throws<ArgumentException>(() => w.Add("big", SafetensorsDType.F64, [1L << 40, 1L << 30], new byte[0])).Message);
        Assert.Contains("surrogate", Assert.Throws<ArgumentException>(() => new SafetensorsWriter().Add("\ud800", SafetensorsDType.U8, [], new byte[1]).ToArray()).Message);
    }
}
