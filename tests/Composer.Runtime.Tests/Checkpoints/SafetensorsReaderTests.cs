using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using Composer.Checkpoints;
using Xunit;

namespace Composer.Tests.Checkpoints;

// Byte-level reading: round trips through the writer, and each rule of the format rejected with a
// SafetensorsFormatException whose message names the problem.
public class SafetensorsReaderTests
{
    /// <summary>A file with the given header text (padded as given) followed by <paramref name="dataLength"/> zero bytes.</summary>
    internal static byte[] FileWith(string json, int dataLength = 0)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var file = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        return file;
    }

    private static string Rejects(byte[] file)
    {
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.ReadHeader(file));
        return e.Problem;
    }

    [Fact]
    public void ReadsWhatTheWriterWrote()
    {
        var data = Enumerable.Range(0, 24).Select(i => (byte)i).ToArray();
        var file = new SafetensorsWriter()
            .Add("w", SafetensorsDType.F32, [2, 3], data)
            .Add("scalar", SafetensorsDType.I64, [], new byte[] { 9, 0, 0, 0, 0, 0, 0, 0 })
            .Add("empty", SafetensorsDType.BF16, [0, 4], ReadOnlyMemory<byte>.Empty)
            .SetMetadata("format", "pt")
            .ToArray();

        var header = SafetensorsReader.ReadHeader(file);
        Assert.Equal("pt", header.Metadata["format"]);
        Assert.Equal(new long[] { 2, 3 }, header["w"].Shape);
        Assert.Empty(header["scalar"].Shape);
        Assert.Equal(1, header["scalar"].ElementCount);
        Assert.Equal(0, header["empty"].ByteLength);
        Assert.Equal(data, header.GetData(file, "w").ToArray());
        Assert.Equal(9, header.GetData(file, "scalar")[0]);
        Assert.Equal(file.Length, header.FileLength);

        using var stream = new MemoryStream(file);
        var fromStream = SafetensorsReader.ReadHeader(stream);
        Assert.Equal(header.Names, fromStream.Names);
        Assert.Equal(header.DataStart, stream.Position);
    }

    [Fact]
    public void MissingTensorNamesTheOnesThere()
    {
        var header = SafetensorsReader.ReadHeader(new SafetensorsWriter().Add("a", SafetensorsDType.U8, [], new byte[1]).ToArray());
        Assert.Contains("'a'", Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => header["b"]).Message);
    }

    [Fact]
    public void TooShort() => Assert.Contains("too short", Rejects(new byte[] { 1, 2, 3 }));

    [Fact]
    public void HeaderLengthOverTheCapIsRejectedWithoutAllocating()
    {
        var file = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1UL << 60);
        Assert.Contains("limit", Rejects(file));
        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
        Assert.Contains("limit", Rejects(file));
    }

    [Fact]
    public void HeaderLengthPastTheEnd()
    {
        var file = FileWith("{}");
        BinaryPrimitives.WriteUInt64LittleEndian(file, 3);
        Assert.Contains("only 2 bytes follow", Rejects(file));
    }

    [Fact]
    public void InvalidUtf8() => Assert.Contains("UTF-8", Rejects([.. FileWith("{\"a\":1}")[..9], 0xFF, .. FileWith("{\"a\":1}")[10..]]));

    [Fact]
    public void NotAnObject() => Assert.Contains("start with '{'", Rejects(FileWith("[]      ")));

    [Fact]
    public void NotJson() => Assert.Contains("not valid JSON", Rejects(FileWith("{\"a\":}  ")));

    [Fact]
    public void ContentAfterTheObject() => Assert.Contains("not valid JSON", Rejects(FileWith("{} {}   ")));

    [Fact]
    public void DuplicateTensor() => Assert.Contains("'a' more than once", Rejects(FileWith(
        "{\"a\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[1,2]}}", 2)));

    [Fact]
    public void DuplicateField() => Assert.Contains("\"dtype\" more than once", Rejects(FileWith(
        "{\"a\":{\"dtype\":\"U8\",\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]}}", 1)));

    [Fact]
    public void DuplicateMetadataKey() => Assert.Contains("more than once", Rejects(FileWith("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}")));

    [Fact]
    public void MetadataValuesMustBeStrings() => Assert.Contains("must be a string", Rejects(FileWith("{\"__metadata__\":{\"k\":1}}")));

    [Fact]
    public void UnknownDType() => Assert.Contains("'U16', which is not one of", Rejects(FileWith(
        "{\"a\":{\"dtype\":\"U16\",\"shape\":[],\"data_offsets\":[0,2]}}", 2)));

    [Theory]
    [InlineData("[-1]")]
    [InlineData("[1.5]")]
    [InlineData("[1e2]")]
    [InlineData("[\"2\"]")]
    [InlineData("[99999999999999999999]")]
    public void BadShape(string shape) => Assert.Contains("not a non-negative 64-bit integer", Rejects(FileWith(
        $"{{\"a\":{{\"dtype\":\"U8\",\"shape\":{shape},\"data_offsets\":[0,1]}}}}", 1)));

    [Fact]
    public void LoneSurrogateEscape() => Assert.Contains("not valid JSON", Rejects(FileWith(
        "{\"\\ud800\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]}}", 1)));

    [Fact]
    public void MissingField() => Assert.Contains("no \"shape\"", Rejects(FileWith("{\"a\":{\"dtype\":\"U8\",\"data_offsets\":[0,1]}}", 1)));

    [Fact]
    public void ThreeOffsets() => Assert.Contains("exactly two", Rejects(FileWith("{\"a\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1,2]}}", 1)));

    [Fact]
    public void EndBeforeBegin() => Assert.Contains("the end comes before", Rejects(FileWith("{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[1,0]}}", 1)));

    [Fact]
    public void ByteLengthMustMatchTheShape() => Assert.Equal(
        "tensor 'w' has data_offsets [0, 12] (12 bytes) but shape [2, 2] of F32 needs 16 bytes",
        Rejects(FileWith("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12)));

    [Fact]
    public void ShapeOverflow() => Assert.Contains("overflows 64 bits", Rejects(FileWith(
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}")));

    [Fact]
    public void Gap() => Assert.Contains("no gap", Rejects(FileWith(
        "{\"a\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]},\"b\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[2,3]}}", 3)));

    [Fact]
    public void Overlap() => Assert.Contains("must not overlap", Rejects(FileWith(
        "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"b\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[1,2]}}", 2)));

    [Fact]
    public void NotStartingAtZero() => Assert.Contains("starts at offset 0", Rejects(FileWith(
        "{\"a\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[1,2]}}", 2)));

    [Fact]
    public void TrailingBytes() => Assert.Contains("1 bytes after the end", Rejects(FileWith(
        "{\"a\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]}}", 2)));

    [Fact]
    public void Truncated() => Assert.Contains("truncated", Rejects(FileWith(
        "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", 3)));

    [Fact]
    public void OffsetOrderInTheHeaderDoesNotMatter()
    {
        var header = SafetensorsReader.ReadHeader(FileWith(
            "{\"b\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[1,2]},\"a\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]}}", 2));
        Assert.Equal(new[] { "a", "b" }, header.Names.ToArray());
    }

    [Fact]
    public void UnknownFieldsAreIgnoredAndNullMetadataIsNone()
    {
        var header = SafetensorsReader.ReadHeader(FileWith(
            "{\"__metadata__\":null,\"a\":{\"extra\":[{\"x\":1}],\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]}}", 1));
        Assert.Empty(header.Metadata);
        Assert.Equal("a", header.Entries.Single().Name);
    }

    [Fact]
    public void FilePathIsInTheMessage()
    {
        string path = Path.Combine(Path.GetTempPath(), $"composer-bad-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, new byte[] { 1 });
        try
        {
            var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.ReadHeader(path));
            Assert.Equal(path, e.FilePath);
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void NonSeekableStreamIsRefused()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream();
        Assert.Throws<ArgumentException>(() => SafetensorsReader.ReadHeader(pipe));
    }
}
