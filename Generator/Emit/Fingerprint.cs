using System.Collections.Generic;
using System.Text;

namespace Composer.Generator.Emit
{
    /// <summary>The architecture fingerprint: 64-bit FNV-1a over the UTF-8 of every setting written as
    /// <c>key=value\n</c>, as 16 lowercase hex digits. Stable across machines and runs.</summary>
    internal static class Fingerprint
    {
        private const ulong Offset = 14695981039346656037UL;
        private const ulong Prime = 1099511628211UL;

        public static string Of(IEnumerable<KeyValuePair<string, string>> settings)
        {
            ulong hash = Offset;
            foreach (var setting in settings)
            {
                foreach (byte b in Encoding.UTF8.GetBytes(setting.Key + "=" + setting.Value + "\n"))
                {
                    hash = unchecked((hash ^ b) * Prime);
                }
            }

            return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
