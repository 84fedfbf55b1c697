using System;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Reformer's LSH attention (MIXERS.md §9, Kitaev, Kaiser &amp; Levskaya 2020). Per head, one shared
/// projection gives queries q and keys k = q / ‖q‖ (<c>in_proj</c>, C → 2C, channels [QK | V]). Each of n_r
/// rounds hashes every position with a random rotation R_r (D × n_b/2), h(x) = argmax([xR_r ; −xR_r]), sorts
/// the positions by (bucket, position), cuts them into chunks of c and lets each chunk attend to itself
/// and the previous chunk. A query sees a key of its window only if
/// <list type="bullet">
/// <item>both share the bucket (other buckets are masked),</item>
/// <item>the key is not padding and, in a decoder, not later than the query (original positions),</item>
/// <item>and itself only when nothing else is left: its own score is a finite low value, since q·(q/‖q‖) would
/// otherwise dominate.</item>
/// </list>
/// Scores are q·k/√D − log N_ij, where N_ij counts the rounds whose window holds the pair, so a key that
/// several rounds show counts once; each round's output is weighted by softmax over rounds of its
/// log-sum-exp. With every key in every window this is exactly softmax attention over the visible keys
/// (with the self rule). Heads are merged by <c>out_proj</c>.
/// </summary>
/// <remarks>
/// <para>Rotations: the buffer <c>rotations</c> (H, n_r, D, n_b/2), drawn from N(0, 1) with a generator
/// seeded by Seed · 1,000,003 + the layer's index, is saved with the weights and used in evaluation, so
/// evaluation and decoding are deterministic. In training every forward pass draws fresh rotations from
/// libtorch's generator (seeded by the training run), as the paper does.</para>
/// <para>Padded positions, and the fill that makes T a multiple of c, hash to a bucket of their own after
/// all real ones, so they sort last and the real positions' chunks are those of the unpadded sequence.
/// Padded queries output zeros before <c>out_proj</c>. The first chunk has no previous chunk.</para>
/// <para>Decoding has no bucketed shortcut (the chunks of a sequence depend on all of it): a step attends
/// to every earlier position through a full <see cref="KeyValueCache"/> of normalised keys and values,
/// with the same self rule. It therefore sees every key the forward pass's buckets could show it, and
/// equals the forward pass exactly when those show all of them.</para>
/// <para>Cost: hashing O(n_r·T·D·n_b), sorting O(n_r·T log T), chunk attention O(n_r·T·2c·D) time and
/// O(n_r·T·2c) memory.</para>
/// </remarks>
[MixerFacts(CausalCapable = true, AlignmentFree = false, Needs = MixerNeeds.Heads, Cost = CostClass.LogLinear)]
public sealed class LshAttention : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<KeyValueCache>
{
    private static readonly MixerFacts Description = new("LSH attention", CausalCapable: true, AlignmentFree: false, MixerNeeds.Heads, CostClass.LogLinear);

    private readonly Linear _inProj;
    private readonly Linear _outProj;
    [ComponentName(Name = "rotations")] private Tensor _rotations;
    private readonly double _dropout;
    private readonly int _maxLength;
    private readonly int _headWidth;

    /// <summary>Creates the mixer and its seeded rotations; heads, causality, the layer's index and attention dropout come from <paramref name="context"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Buckets is odd or below 2, or Rounds or ChunkSize is below 1.</exception>
    /// <exception cref="ArgumentException">The heads do not divide the width.</exception>
    public LshAttention(MixerContext context, LshAttentionOptions options) : base(nameof(LshAttention))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        // Every check before the first parameter exists: a refused mixer leaves nothing to the finalizer.
        if (options.Buckets < 2 || options.Buckets % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Buckets, "LshAttention needs an even number of buckets, at least 2: each rotation column hashes to two buckets, x and −x");
        if (options.Rounds < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Rounds, "LshAttention needs at least one hashing round");
        if (options.ChunkSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.ChunkSize, "LshAttention needs chunks of at least one position");
        Attention.CheckHeads(nameof(LshAttention), context);
        Width = context.Width;
        Heads = context.Heads;
        Causal = context.Causal;
        Buckets = options.Buckets;
        Rounds = options.Rounds;
        ChunkSize = options.ChunkSize;
        Seed = options.Seed;
        _headWidth = Width / Heads;
        _dropout = context.AttentionDropout;
        _maxLength = context.MaxLength;
        register_module("in_proj", _inProj = new Linear(context.Module, Width, 2 * Width));
        register_module("out_proj", _outProj = new Linear(context.Module, Width, Width));
        _rotations = this.RegisterBuffer("rotations", SeededRotations(context.Module, unchecked((long)Seed * 1_000_003 + context.LayerIndex)));
    }

    /// <summary>Model channels C.</summary>
    public int Width { get; }

    /// <summary>Number of heads H.</summary>
    public int Heads { get; }

    /// <summary>Whether position t sees only positions ≤ t (a decoder layer).</summary>
    public bool Causal { get; }

    /// <summary>Hash buckets per round, n_b.</summary>
    public int Buckets { get; }

    /// <summary>Hashing rounds, n_r.</summary>
    public int Rounds { get; }

    /// <summary>Positions per chunk, c.</summary>
    public int ChunkSize { get; }

    /// <summary>Seed of the evaluation rotations.</summary>
    public int Seed { get; }

    /// <summary>The evaluation rotations, (H, n_r, D, n_b/2).</summary>
    public Tensor Rotations => _rotations;

    /// <inheritdoc />
    public MixerFacts Facts => Description;

    private long[] RotationShape => [Heads, Rounds, _headWidth, Buckets / 2];

    // Drawn on the CPU from a generator of its own, so the same seed gives the same rotations on every device.
    private Tensor SeededRotations(ModuleContext module, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        return randn(RotationShape, ScalarType.Float32, CPU, generator: generator).to(module.DType, module.Device).MoveToOuterDisposeScope();
    }

    /// <summary>The score a query gives itself: finite, above masked keys, below every real score.</summary>
    private static double SelfValue(ScalarType dtype) => Attention.MaskValue(dtype) / 2;

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        Attention.CheckSequence(nameof(LshAttention), nameof(x), x, Width);
        Attention.CheckPadding(nameof(LshAttention), nameof(padding), padding, x);
        var parts = Attention.SplitHeads(_inProj.forward(x), 2, Heads);                  // qk, v: (B, H, T, D)
        long b = x.shape[0], h = Heads, t = x.shape[1], d = _headWidth, r = Rounds;
        // A chunk longer than the sequence is the sequence: one chunk, no fill beyond T.
        long c = Math.Max(1, Math.Min(ChunkSize, t));
        long chunks = (t + c - 1) / c, length = chunks * c;
        var device = x.device;

        // Padding and the fill up to a whole number of chunks: (B, L).
        var hiddenPositions = padding ?? zeros(b, t, ScalarType.Bool, device);
        if (length > t) hiddenPositions = cat([hiddenPositions, ones(b, length - t, ScalarType.Bool, device)], 1);
        var qk = length > t ? nn.functional.pad(parts[0], [0, 0, 0, length - t]) : parts[0];
        var v = length > t ? nn.functional.pad(parts[1], [0, 0, 0, length - t]) : parts[1];

        // Hash: (B, H, n_r, L) buckets; hidden positions get bucket n_b, after every real one.
        var rotations = training ? randn(RotationShape, _rotations.dtype, _rotations.device) : _rotations;
        var rotated = einsum("bhtd,hrdk->bhrtk", qk.detach(), rotations);
        var buckets = cat([rotated, rotated.neg()], -1).argmax(-1);
        buckets.masked_fill_(hiddenPositions.view(b, 1, 1, length), Buckets);

        // Sort by (bucket, position); rank[p] is where position p went.
        var positions = arange(length, ScalarType.Int64, device);
        var order = buckets.mul(length).add_(positions).argsort(-1);                     // (B, H, n_r, L)
        var rank = empty_like(order).scatter_(-1, order, positions.expand(b, h, r, length));

        var gatherVectors = order.unsqueeze(-1).expand(b, h, r, length, d);
        var queries = qk.unsqueeze(2).expand(b, h, r, length, d).gather(3, gatherVectors);
        var keys = nn.functional.normalize(queries, p: 2, dim: -1);
        var values = v.unsqueeze(2).expand(b, h, r, length, d).gather(3, gatherVectors);

        // Chunks (B, H, n_r, N, c, …), and each chunk's window: the previous chunk, then itself (2c keys).
        var queryPositions = order.view(b, h, r, chunks, c);
        var queryBuckets = buckets.gather(-1, order).view(b, h, r, chunks, c);
        var keyPositions = WithPrevious(queryPositions, -1);
        var keyBuckets = WithPrevious(queryBuckets, -1);
        var keyWindow = WithPrevious(keys.view(b, h, r, chunks, c, d), 0);
        var valueWindow = WithPrevious(values.view(b, h, r, chunks, c, d), 0);

        var logits = queries.view(b, h, r, chunks, c, d).matmul(keyWindow.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(d));
        if (r > 1)
        {
            using var duplicates = Duplicates(buckets, rank, queryPositions, keyPositions, c, logits.dtype);
            logits.sub_(duplicates.log_());
        }
        var self = queryPositions.unsqueeze(-1).eq(keyPositions.unsqueeze(-2));
        logits.masked_fill_(self, SelfValue(logits.dtype));
        var hidden = queryBuckets.unsqueeze(-1).ne(keyBuckets.unsqueeze(-2));            // other bucket, or no previous chunk
        var keyHidden = hiddenPositions.view(b, 1, 1, length).expand(b, h, r, length)
            .gather(3, keyPositions.clamp_min(0).view(b, h, r, chunks * 2 * c)).view(b, h, r, chunks, 1, 2 * c);
        hidden = hidden.logical_or_(keyHidden);
        if (Causal) hidden = hidden.logical_or_(keyPositions.unsqueeze(-2).gt(queryPositions.unsqueeze(-1)));
        logits.masked_fill_(hidden, Attention.MaskValue(logits.dtype));

        var logSum = logits.logsumexp(-1, keepdim: true);                               // (B, H, n_r, N, c, 1)
        var weights = logits.sub(logSum).exp_();
        if (training && _dropout > 0) weights = nn.functional.dropout(weights, _dropout, training: true);
        var output = weights.matmul(valueWindow).view(b, h, r, length, d);

        // Back to the original order, then the rounds weighted by softmax over their log-sum-exps.
        output = output.gather(3, rank.unsqueeze(-1).expand(b, h, r, length, d));
        var roundWeights = logSum.view(b, h, r, length).gather(3, rank).softmax(2);      // (B, H, n_r, L)
        var heads = output.mul(roundWeights.unsqueeze(-1)).sum(2).narrow(2, 0, t);      // (B, H, T, D)
        if (padding is not null) heads = heads.masked_fill(padding.view(b, 1, t, 1), 0.0);
        return _outProj.forward(Attention.MergeHeads(heads));
    }

    /// <summary>
    /// (B, H, n_r, N, c, …) → (B, H, n_r, N, 2c, …): each chunk preceded by the previous one; the first chunk
    /// by <paramref name="fill"/> (−1 for positions and buckets, which no real one equals; 0 for vectors).
    /// </summary>
    private static Tensor WithPrevious(Tensor chunks, double fill)
    {
        long n = chunks.shape[3];
        var first = full_like(chunks.narrow(3, 0, 1), fill);
        var previous = n == 1 ? first : cat([first, chunks.narrow(3, 0, n - 1)], 3);
        return cat([previous, chunks], 4);
    }

    /// <summary>
    /// N_ij, (B, H, n_r, N, c, 2c): in how many rounds key j lies in query i's window in the same bucket
    /// (chunk(j) ∈ {chunk(i), chunk(i) − 1}), at least 1, as a float of the logits' type.
    /// </summary>
    /// <remarks>
    /// Each round's comparisons are as large as the logits and are freed before the next round (at T = 4096
    /// with 4 rounds they held 0.7 GiB until the forward pass ended); chunk indices are int32, half the size.
    /// </remarks>
    private static Tensor Duplicates(Tensor buckets, Tensor rank, Tensor queryPositions, Tensor keyPositions, long chunk, ScalarType dtype)
    {
        long b = buckets.shape[0], h = buckets.shape[1], r = buckets.shape[2];
        var queryIndex = queryPositions.reshape(b, h, -1);
        var keyIndex = keyPositions.clamp_min(0).reshape(b, h, -1);
        var chunkOf = rank.div(chunk, rounding_mode: RoundingMode.floor).to(ScalarType.Int32); // (B, H, n_r, L)
        var count = zeros([b, h, r, queryPositions.shape[3], chunk, 2 * chunk], dtype, buckets.device);
        for (long round = 0; round < r; round++)
        {
            using var roundScope = NewDisposeScope();
            var bucket = buckets.select(2, round);                                          // (B, H, L)
            var index = chunkOf.select(2, round);
            var queryBucket = bucket.gather(2, queryIndex).view_as(queryPositions).unsqueeze(-1);
            var keyBucket = bucket.gather(2, keyIndex).view_as(keyPositions).unsqueeze(-2);
            var gap = index.gather(2, queryIndex).view_as(queryPositions).unsqueeze(-1) - index.gather(2, keyIndex).view_as(keyPositions).unsqueeze(-2);
            count.add_(queryBucket.eq(keyBucket).logical_and_(gap.ge(0)).logical_and_(gap.le(1)));
        }
        return count.clamp_min_(1);
    }

    /// <inheritdoc />
    public KeyValueCache NewState(long batchSize) => KeyValueCache.ForMaxLength(batchSize, _maxLength);

    /// <inheritdoc />
    public Tensor Step(Tensor x, KeyValueCache state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!Causal)
            throw new InvalidOperationException("LshAttention was built for an encoder (not causal), so it cannot decode step by step");
        MixerInput.CheckStep(nameof(LshAttention), x, state.BatchSize, Width);
        var parts = Attention.SplitHeads(_inProj.forward(x), 2, Heads);                 // (B, H, 1, D) each
        var (keys, values) = state.Append(nn.functional.normalize(parts[0], p: 2, dim: -1), parts[1]);
        long n = keys.shape[2];
        var logits = parts[0].matmul(keys.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(_headWidth)); // (B, H, 1, n)
        // The newest key is the query's own.
        var self = arange(n, ScalarType.Int64, x.device).eq(n - 1);
        logits.masked_fill_(self, SelfValue(logits.dtype));
        var weights = logits.softmax(-1);
        if (training && _dropout > 0) weights = nn.functional.dropout(weights, _dropout, training: true);
        return _outProj.forward(Attention.MergeHeads(weights.matmul(values)));
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
