using Composer.Generator.Specs;

namespace Composer.Generator.Emit
{
    /// <summary>
    /// Where a Funnel stack (MIXERS.md §10) pools: which block each layer is in, which layers start a
    /// pooled block, and what the pooling does to lengths, costs and reach. Shared by the plan and by the
    /// rules that judge a declaration before any plan exists.
    /// </summary>
    internal static class FunnelLayout
    {
        /// <summary>The mixers that let a pooled sequence attend to the sequence before pooling (their
        /// runtime classes implement Composer.Mixers.IPooledQueryMixer); other mixers see the pooled sequence.</summary>
        public static bool TakesPooledQueries(MixerSpec mixer) =>
            mixer.Kind is MixerKind.SelfAttention or MixerKind.SparsemaxAttention;

        /// <summary>Whether the declared blocks fit a stack of <paramref name="depth"/> layers: at least two,
        /// each of at least one layer, summing to the depth.</summary>
        public static bool Fits(EquatableArray<int> blocks, int depth)
        {
            if (blocks.Count < 2 || depth <= 0)
            {
                return false;
            }

            long sum = 0;
            foreach (int size in blocks)
            {
                if (size <= 0)
                {
                    return false;
                }

                sum += size;
            }

            return sum == depth;
        }

        /// <summary>The block of every layer (0 for the first), or null when the stack pools nothing or
        /// its blocks do not fit its depth.</summary>
        public static int[]? BlockOfLayer(StackSpec stack)
        {
            if (!stack.Structure.IsFunnel || !Fits(stack.Structure.Funnel, stack.Depth))
            {
                return null;
            }

            var blocks = new int[stack.Depth];
            int layer = 0;
            for (int b = 0; b < stack.Structure.Funnel.Count; b++)
            {
                for (int i = 0; i < stack.Structure.Funnel[b]; i++)
                {
                    blocks[layer++] = b;
                }
            }

            return blocks;
        }

        /// <summary>The sequence length in block <paramref name="block"/> as shape comments and cost
        /// classes write it: <c>T</c>, <c>T/2</c>, <c>T/4</c>, … (with the first position kept apart,
        /// <c>1+(T-1)/2</c>, …); <paramref name="length"/> names the unpooled length.</summary>
        public static string Length(string length, int block, bool keepFirst)
        {
            if (block == 0)
            {
                return length;
            }

            string stride = block < 31 ? Text.Invariant(1L << block) : "2^" + Text.Invariant(block);
            return keepFirst ? "1+(" + length + "-1)/" + stride : length + "/" + stride;
        }

        /// <summary>
        /// A mixer's cost class in block <paramref name="block"/>: its length T becomes the block's, and a
        /// layer with pooled queries pairs the block's length (queries) with the one before (keys):
        /// <c>O(T²)</c> becomes <c>O((T/2)²)</c>, or <c>O(T/2·T)</c> for pooled queries.
        /// </summary>
        public static string Cost(string cost, int block, bool pooledQueries)
        {
            if (block == 0)
            {
                return cost;
            }

            // Keep-first lengths differ by one position at most: the class is the same.
            string here = Length("T", block, keepFirst: false), before = Length("T", block - 1, keepFirst: false);
            if (pooledQueries && cost == "O(T²)")
            {
                return "O(" + here + "·" + before + ")";
            }

            return cost == "O(T²)" ? "O((" + here + ")²)" : cost.Replace("T", here);
        }
    }
}
