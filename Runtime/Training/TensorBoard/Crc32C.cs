namespace Composer.Training.TensorBoard;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and the masked form TFRecord files store, so a
/// reader can tell a torn or corrupted record from a good one.
/// </summary>
internal static class Crc32C
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            table[i] = c;
        }
        return table;
    }

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(System.ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    /// <summary>
    /// TFRecord's masked CRC: rotated right by 15 bits plus a constant, because a CRC of data that itself
    /// contains CRCs is weak (TensorFlow's <c>crc32c::Mask</c>).
    /// </summary>
    public static uint Masked(System.ReadOnlySpan<byte> data)
    {
        uint crc = Compute(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }
}
