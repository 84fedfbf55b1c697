using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Composer.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Checkpoints;

// Seeded fuzzing of the reader: thousands of corrupted files (truncations, bit flips in the length and
// the header, huge lengths, bad offsets, duplicate keys, invalid UTF-8, trailing bytes, mangled JSON).
// Each must either parse into a header consistent with the file or fail with SafetensorsFormatException;
// any other exception, or an allocation out of proportion to the input, fails the test.
[Collection(SequentialCollection.Name)]
public sealed class SafetensorsFuzzTests : IDisposable
{
    private const int Seed = 20261121;
    private const int Cases = 3000;
    private readonly string _folder = Directory.CreateTempSubdirectory("composer-safetensors-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[][] ValidFiles()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        return
        [
            new SafetensorsWriter().ToArray(),
            new SafetensorsWriter().Add("w", SafetensorsDType.F32, [2, 2], bytes.AsMemory(0, 16)).ToArray(),
            new SafetensorsWriter()
                .Add("layers.0.weight", SafetensorsDType.F32, [3, 4], bytes.AsMemory(0, 48))
                .Add("layers.0.bias", SafetensorsDType.F16, [4], bytes.AsMemory(48, 8))
                .Add("embed", SafetensorsDType.BF16, [2, 3], bytes.AsMemory(56, 12))
                .Add("step", SafetensorsDType.I64, [], bytes.AsMemory(68, 8))
                .Add("mask", SafetensorsDType.Bool, [3], new byte[] { 1, 0, 1 })
                .Add("tokens", SafetensorsDType.I8, [2], bytes.AsMemory(80, 2))
                .Add("empty", SafetensorsDType.F64, [0, 5], ReadOnlyMemory<byte>.Empty)
                .SetMetadata("format", "pt").SetMetadata("ünï", "cødé")
                .ToArray(),
            File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "reference", "safetensors_numpy.safetensors")),
        ];
    }

    private static long HeaderEnd(byte[] file) => 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(file);

    /// <summary>One corruption, chosen and applied with <paramref name="random"/>; returns its name for failure messages.</summary>
    private static (string Kind, byte[] File) Corrupt(byte[] valid, Random random)
    {
        var file = (byte[])valid.Clone();
        int headerEnd = (int)HeaderEnd(valid);
        string header = Encoding.UTF8.GetString(valid, 8, headerEnd - 8);
        switch (random.Next(12))
        {
            case 0:
                return ("truncation", file[..random.Next(file.Length)]);
            case 1:
            {
                int at = 8 + random.Next(headerEnd - 8);
                file[at] ^= (byte)(1 << random.Next(8));
                return ($"header bit flip at {at}", file);
            }
            case 2:
            {
                int bit = random.Next(64);
                file[bit / 8] ^= (byte)(1 << (bit % 8));
                return ($"length bit flip {bit}", file);
            }
            case 3:
            {
                ulong[] huge = [1UL << 60, ulong.MaxValue, SafetensorsReader.MaxHeaderLength + 1UL, (ulong)random.NextInt64(), (ulong)file.Length, (ulong)file.Length - 7];
                ulong n = huge[random.Next(huge.Length)];
                BinaryPrimitives.WriteUInt64LittleEndian(file, n);
                return ($"header length {n}", file);
            }
            case 4:
            {
                // Replace one number of the header (an offset or a size) by another.
                var numbers = System.Text.RegularExpressions.Regex.Matches(header, "[0-9]+").ToArray();
                if (numbers.Length == 0) goto default;
                var m = numbers[random.Next(numbers.Length)];
                string[] choices = ["0", "1", "7", "-1", "1.5", "1e3", "18446744073709551616", "9223372036854775807", (long.Parse(m.Value.Length > 18 ? "1" : m.Value) + random.Next(-3, 4)).ToString()];
                return ($"number {m.Value} replaced", Rebuild(header.Remove(m.Index, m.Length).Insert(m.Index, choices[random.Next(choices.Length)]), valid, headerEnd, random));
            }
            case 5:
            {
                // Duplicate a key: repeat the first tensor's (or metadata's) entry textually.
                int colon = header.IndexOf("\":", StringComparison.Ordinal);
                int close = header.IndexOf('}', colon < 0 ? 0 : colon);
                if (colon < 0 || close < 0) goto default;
                string entry = header[1..(close + 1)];
                return ("duplicate key", Rebuild("{" + entry + "," + header[1..], valid, headerEnd, random));
            }
            case 6:
            {
                byte[][] invalid = [[0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]];
                var bad = invalid[random.Next(invalid.Length)];
                int at = 8 + 1 + random.Next(headerEnd - 9);
                var grown = new List<byte>(file);
                grown.InsertRange(at, bad);
                var result = grown.ToArray();
                BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)(headerEnd - 8 + bad.Length));
                return ($"invalid UTF-8 at {at}", result);
            }
            case 7:
                return ("trailing bytes", [.. file, .. new byte[1 + random.Next(16)]]);
            case 8:
            {
                string[] edits = ["\"F32\"", "\"U16\"", "\"f32\"", "null", "[]", "{}", "[0]", "\"\\ud800\"", "{\"a\":", "]", "}", ",", "1e999", "\"__metadata__\":1,"];
                int at = random.Next(header.Length + 1);
                return ("JSON insertion", Rebuild(header.Insert(at, edits[random.Next(edits.Length)]), valid, headerEnd, random));
            }
            case 9:
            {
                int at = random.Next(header.Length);
                return ("JSON deletion", Rebuild(header.Remove(at, 1 + random.Next(Math.Min(8, header.Length - at))), valid, headerEnd, random));
            }
            case 10:
            {
                // Move one tensor's data_offsets by a few bytes, keeping its length: gaps and overlaps.
                var offsets = System.Text.RegularExpressions.Regex.Matches(header, "\"data_offsets\":\\[([0-9]+),([0-9]+)\\]").ToArray();
                if (offsets.Length == 0) goto default;
                var m = offsets[random.Next(offsets.Length)];
                long begin = long.Parse(m.Groups[1].Value), end = long.Parse(m.Groups[2].Value);
                long shift = Math.Max(-begin, random.Next(-4, 5));
                string moved = $"\"data_offsets\":[{begin + shift},{end + shift}]";
                return ($"offsets shifted by {shift}", Rebuild(header.Remove(m.Index, m.Length).Insert(m.Index, moved), valid, headerEnd, random));
            }
            default:
            {
                var noise = new byte[random.Next(0, 64)];
                random.NextBytes(noise);
                return ("random bytes", noise);
            }
        }
    }

    /// <summary>A file with an edited header (re-padded or not, at random) and the original buffer.</summary>
    private static byte[] Rebuild(string header, byte[] valid, int headerEnd, Random random)
    {
        var text = Encoding.UTF8.GetBytes(header.TrimEnd(' '));
        int padded = random.Next(2) == 0 ? (text.Length + 7) / 8 * 8 : text.Length;
        var file = new byte[8 + padded + (valid.Length - headerEnd)];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        text.CopyTo(file, 8);
        file.AsSpan(8 + text.Length, padded - text.Length).Fill((byte)' ');
        valid.AsSpan(headerEnd).CopyTo(file.AsSpan(8 + padded));
        return file;
    }

    [Fact]
    public void CorruptedFilesOnlyEverRaiseFormatErrors()
    {
        var random = new Random(Seed);
        var valid = ValidFiles();
        int rejected = 0, accepted = 0;
        string path = Path.Combine(_folder, "fuzz.safetensors");
        for (int i = 0; i < Cases; i++)
        {
            var (kind, file) = Corrupt(valid[random.Next(valid.Length)], random);
            string where = $"case {i} (seed {Seed}, {kind}, {file.Length} bytes)";
            bool viaFile = i % 10 == 0;
            if (viaFile) File.WriteAllBytes(path, file);

            long before = GC.GetAllocatedBytesForCurrentThread();
            var outcomes = new List<bool>
            {
                Outcome(where + " from a span", file.Length, () => SafetensorsReader.ReadHeader(file)),
                Outcome(where + " from a stream", file.Length, () => SafetensorsReader.ReadHeader(new MemoryStream(file))),
            };
            if (viaFile)
            {
                outcomes.Add(Outcome(where + " from a file", file.Length, () => SafetensorsReader.ReadHeader(path)));
                outcomes.Add(LoadOutcome(where + " loaded", path));
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64L * file.Length + (4 << 20), $"{where}: reading allocated {allocated} bytes");
            Assert.True(outcomes.All(o => o == outcomes[0]), $"{where}: the span, stream and file readers disagree");
            if (outcomes[0]) accepted++; else rejected++;
        }
        // Most corruptions must be caught; a few (a flipped bit in the padding, an offset moved to a
        // consistent value) legitimately still parse.
        Assert.True(rejected > Cases * 3 / 4, $"only {rejected} of {Cases} corrupted files were rejected");
        Assert.True(accepted > 0, "no mutation left a valid file: the harness is not exercising the accept path");
    }

    /// <summary>True when the read succeeded with a header consistent with the input; false on a format error.</summary>
    private static bool Outcome(string where, long fileLength, Func<SafetensorsHeader> read)
    {
        SafetensorsHeader header;
        try
        {
            header = read();
        }
        catch (SafetensorsFormatException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Problem), $"{where}: empty message");
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{where}: threw {e.GetType().Name} instead of SafetensorsFormatException: {e}");
            throw;
        }
        Assert.Equal(fileLength, header.FileLength);
        long expected = 0;
        foreach (var entry in header.Entries)
        {
            Assert.Equal(expected, entry.Begin);
            Assert.Equal(entry.ElementCount * entry.DType.ElementSize(), entry.ByteLength);
            expected = entry.End;
        }
        return true;
    }

    private static bool LoadOutcome(string where, string path)
    {
        try
        {
            using var scope = NewDisposeScope();
            using var file = Safetensors.Load(path);
            foreach (var entry in file.Header.Entries)
            {
                Assert.Equal(entry.ByteLength, file.GetBytes(entry.Name).Length);
                Assert.Equal(entry.ElementCount, file.Get(entry.Name).numel());
            }
            return true;
        }
        catch (SafetensorsFormatException)
        {
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{where}: threw {e.GetType().Name} instead of SafetensorsFormatException: {e}");
            throw;
        }
    }
}
