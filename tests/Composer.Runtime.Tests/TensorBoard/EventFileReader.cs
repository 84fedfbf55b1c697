using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;

namespace Composer.Tests.TensorBoard;

/// <summary>One decoded TensorBoard event: its step, wall time, version string, scalars and whether it marks a restart.</summary>
internal sealed record ReadEvent(long Step, double WallTime, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars, bool Restart);

/// <summary>
/// Reads TensorBoard event files independently of the writer: TFRecord framing with both masked CRC-32Cs
/// checked (a bit-by-bit CRC, not the writer's table), and the Event protobuf decoded field by field with
/// Google.Protobuf's <see cref="CodedInputStream"/> from the field numbers of TensorFlow's event.proto
/// and summary.proto (Event: wall_time 1, step 2, file_version 3, summary 5, session_log 7; Summary:
/// value 1; Value: tag 1, simple_value 2; SessionLog: status 1, START = 1).
/// </summary>
internal static class EventFileReader
{
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++) crc = (crc >> 1) ^ (0x82F63B78u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }

    public static List<ReadEvent> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<ReadEvent>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 12) throw new InvalidDataException($"{path}: a record header is cut short at byte {offset}");
            var header = bytes.AsSpan(offset, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            uint headerCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8, 4));
            if (headerCrc != Masked(header)) throw new InvalidDataException($"{path}: bad length CRC at byte {offset}");
            if ((ulong)(bytes.Length - offset - 16) < length) throw new InvalidDataException($"{path}: a record is cut short at byte {offset}");
            var data = bytes.AsSpan(offset + 12, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + (int)length, 4));
            if (dataCrc != Masked(data)) throw new InvalidDataException($"{path}: bad data CRC at byte {offset}");
            events.Add(DecodeEvent(data.ToArray()));
            offset += 16 + (int)length;
        }
        return events;
    }

    /// <summary>Every event file under <paramref name="folder"/> (not its subfolders), in name order.</summary>
    public static List<ReadEvent> ReadFolder(string folder) =>
        Directory.GetFiles(folder, "events.out.tfevents.*").Order(StringComparer.Ordinal).SelectMany(Read).ToList();

    private static ReadEvent DecodeEvent(byte[] data)
    {
        var input = new CodedInputStream(data);
        long step = 0;
        double wallTime = 0;
        string? version = null;
        bool restart = false;
        var scalars = new List<(string, float)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: wallTime = input.ReadDouble(); break;
                case 2: step = input.ReadInt64(); break;
                case 3: version = input.ReadString(); break;
                case 5: scalars.AddRange(DecodeSummary(input.ReadBytes())); break;
                case 7: restart = DecodeSessionStatus(input.ReadBytes()) == 1; break;
                default: input.SkipLastField(); break;
            }
        }
        return new ReadEvent(step, wallTime, version, scalars, restart);
    }

    private static IEnumerable<(string, float)> DecodeSummary(ByteString summary)
    {
        var input = summary.CreateCodedInput();
        var values = new List<(string, float)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1) { input.SkipLastField(); continue; }
            var value = input.ReadBytes().CreateCodedInput();
            string name = "";
            float? simple = null;
            uint inner;
            while ((inner = value.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(inner))
                {
                    case 1: name = value.ReadString(); break;
                    case 2: simple = value.ReadFloat(); break;
                    default: value.SkipLastField(); break;
                }
            }
            if (simple is float v) values.Add((name, v));
        }
        return values;
    }

    private static int DecodeSessionStatus(ByteString log)
    {
        var input = log.CreateCodedInput();
        uint tag;
        int status = 0;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1) status = input.ReadEnum();
            else input.SkipLastField();
        }
        return status;
    }

    /// <summary>
    /// The scalars TensorBoard shows: events read in file order, where a restart at step s drops every
    /// earlier scalar with a step ≥ s (TensorBoard's purge of orphaned events).
    /// </summary>
    public static List<(long Step, string Tag, float Value)> Scalars(IEnumerable<ReadEvent> events)
    {
        var kept = new List<(long Step, string Tag, float Value)>();
        foreach (var e in events)
        {
            if (e.Restart) kept.RemoveAll(s => s.Step >= e.Step);
            kept.AddRange(e.Scalars.Select(s => (e.Step, s.Tag, s.Value)));
        }
        return kept;
    }
}
