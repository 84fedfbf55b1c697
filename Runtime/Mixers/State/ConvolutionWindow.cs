using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// The decoding state of a convolution mixer (MIXERS.md §2–§3, §12 C2): the last K − 1 convolution
/// inputs. It starts as zeros, which stand for the positions before the start exactly as the zero left
/// padding does in the full-sequence forward.
/// </summary>
/// <remarks>
/// The inputs live in one buffer of 2K positions, (B, H, C/H, 2K), allocated once and written in place:
/// position t goes to slots t mod K and t mod K + K (one <c>index_copy_</c>), so the K inputs the step
/// convolves, oldest first, are always the contiguous slots t mod K + 1 … t mod K + K, a view. Nothing
/// is concatenated or shifted per token, and the heads are already split for the kernels. A step that
/// records gradients writes into a copy instead (see <see cref="StateWrites"/>).
/// </remarks>
public sealed class ConvolutionWindow : IMixerState
{
    private readonly int _kernel;
    private readonly Tensor[] _slots; // per t mod K: the two slots position t is written to, int64 (2)
    private Tensor _buffer;           // (B, H, C/H, 2K)
    private long _next;               // t mod K of the next position

    internal ConvolutionWindow(long batchSize, int width, int heads, int kernel, ScalarType dtype, Device device)
    {
        MixerInput.CheckBatchSize(batchSize);
        _kernel = kernel;
        _buffer = zeros([batchSize, heads, width / heads, 2L * kernel], dtype, device).DetachFromDisposeScope();
        _slots = new Tensor[kernel];
        for (int s = 0; s < kernel; s++)
            _slots[s] = tensor(new long[] { s, s + kernel }, device: device).DetachFromDisposeScope();
    }

    /// <summary>Number of sequences in the batch.</summary>
    public long BatchSize => _buffer.shape[0];

    /// <summary>
    /// The last K − 1 inputs of the convolution, oldest first, (B, C, K − 1): a view of the buffer, valid
    /// until the next step or reorder.
    /// </summary>
    public Tensor Inputs
    {
        get
        {
            // The newest position sits in slot _next − 1 (and _next − 1 + K): the K − 1 ending there start one later.
            long start = (_next == 0 ? _kernel : _next) + 1;
            return _buffer.narrow(3, start, _kernel - 1).view(BatchSize, -1, _kernel - 1);
        }
    }

    /// <summary>
    /// Writes the convolution input of the new position, <paramref name="x"/> (B, H, C/H, 1), and returns
    /// the K inputs its output sees, (B, H, C/H, K) oldest first: a view, valid until the next step.
    /// </summary>
    internal Tensor Advance(Tensor x)
    {
        long slot = _next;
        var both = x.expand(x.shape[0], x.shape[1], x.shape[2], 2);
        if (StateWrites.InPlace(x, _buffer))
        {
            _buffer.index_copy_(3, _slots[slot], both);
        }
        else
        {
            var next = _buffer.index_copy(3, _slots[slot], both).DetachFromDisposeScope();
            _buffer.Dispose();
            _buffer = next;
        }
        _next = slot + 1 == _kernel ? 0 : slot + 1;
        return _buffer.narrow(3, slot + 1, _kernel);
    }

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var next = _buffer.index_select(0, indices).DetachFromDisposeScope();
        _buffer.Dispose();
        _buffer = next;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _buffer.Dispose();
        foreach (var slot in _slots) slot.Dispose();
    }
}
