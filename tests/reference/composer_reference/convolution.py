"""Convolution mixers, written from MIXERS.md §2 (lightweight convolution) and §3 (dynamic convolution),
independently of the C# code.

Conventions shared with Composer (the parameter names are a contract: the C# modules load these weights):
  * x is (B, T, C); padding is (B, T) bool, True at padded positions, or None.
  * `in_proj` maps C -> 2C followed by a GLU over the channels (glu=True), or C -> C (glu=False).
  * H heads; channel c uses head c // (C / H), i.e. each head's kernel is shared by C / H contiguous channels.
  * LightweightConvolution has one kernel per head, `weight` (H, K). DynamicConvolution predicts the
    kernel of position t from its own input with `kernel_proj` (C -> H*K, no bias; row h*K + k = head h,
    tap k).
  * Kernels are softmax-normalised over the K taps (weight_softmax=True), then DropConnect
    (dropout on the kernel, p = weight_dropout) in training.
  * O[b, t, c] = sum_k W[h(c), k] * X[b, t + k - P_l, c] with zero padding: P_l = K - 1 when causal,
    otherwise (K - 1) // 2 on the left and K // 2 on the right.
  * Padded timesteps are zeroed after the input projection, before the convolution.
  * `out_proj` maps C -> C.
  * Decoding: `step(x, state)` takes x (B, 1, C) and a state (None at the start) and returns
    (output, state). The state is the last K - 1 convolution inputs, (B, C, K - 1), which grows from
    (B, C, 0) at the start; the kernel is softmax-normalised over all K taps first and then sliced to the
    taps that have inputs (MIXERS.md C4), which matches the zero padding of the full sequence.
    `reorder(state, order)` reorders the batch for beam search.
"""
import torch
import torch.nn.functional as F
from torch import nn


def padding_sides(kernel, causal):
    """(left, right) zero padding of the time axis."""
    if causal:
        return kernel - 1, 0
    return (kernel - 1) // 2, kernel // 2


class _Convolution(nn.Module):
    """What both convolution mixers share: GLU input projection, padding, output projection, decoding."""

    def __init__(self, width, heads, kernel, causal, glu, weight_softmax, weight_dropout):
        super().__init__()
        assert width % heads == 0, "the width must be a multiple of the heads"
        self.width, self.heads, self.kernel, self.causal = width, heads, kernel, causal
        self.glu, self.weight_softmax, self.weight_dropout = glu, weight_softmax, weight_dropout
        self.in_proj = nn.Linear(width, 2 * width if glu else width)
        self.out_proj = nn.Linear(width, width)

    def project_in(self, x, padding=None):
        h = self.in_proj(x)
        if self.glu:
            h = F.glu(h, dim=-1)
        if padding is not None:
            h = h.masked_fill(padding.unsqueeze(-1), 0.0)
        return h

    def normalise(self, kernels):
        """Softmax over the taps (last dimension), then DropConnect."""
        if self.weight_softmax:
            kernels = torch.softmax(kernels, dim=-1)
        return F.dropout(kernels, self.weight_dropout, self.training)

    def forward(self, x, padding=None):
        h = self.project_in(x, padding)
        left, right = padding_sides(self.kernel, self.causal)
        padded = F.pad(h.transpose(1, 2), (left, right))  # (B, C, T + K - 1)
        return self.out_proj(self.convolve(h, padded).transpose(1, 2))

    def step(self, x, state=None):
        h = self.project_in(x)  # (B, 1, C)
        if state is None:
            state = h.new_zeros(h.shape[0], self.width, 0)
        window = torch.cat([state, h.transpose(1, 2)], dim=2)  # (B, C, t + 1), at most K
        out = self.out_proj(self.convolve_last(h, window).transpose(1, 2))
        return out, window[:, :, -(self.kernel - 1):] if self.kernel > 1 else window[:, :, :0]

    @staticmethod
    def reorder(state, order):
        return state.index_select(0, order)


class LightweightConvolution(_Convolution):
    """Lightweight convolution (MIXERS.md §2): one softmax-normalised kernel per head, as a grouped conv1d."""

    def __init__(self, width, heads, kernel, causal=False, glu=True, weight_softmax=True, weight_dropout=0.0):
        super().__init__(width, heads, kernel, causal, glu, weight_softmax, weight_dropout)
        self.weight = nn.Parameter(torch.randn(heads, kernel))

    def channel_kernels(self):
        """(C, 1, K): head h's kernel repeated for each of its C / H channels."""
        return self.normalise(self.weight).repeat_interleave(self.width // self.heads, dim=0).unsqueeze(1)

    def convolve(self, h, padded):
        return F.conv1d(padded, self.channel_kernels(), groups=self.width)  # (B, C, T)

    def convolve_last(self, h, window):
        taps = window.shape[2]
        kernels = self.channel_kernels()[:, 0, -taps:]  # softmax over all K taps, then slice
        return (window * kernels).sum(-1, keepdim=True)  # (B, C, 1)


class DynamicConvolution(_Convolution):
    """Dynamic convolution (MIXERS.md §3): position t's kernel is predicted from its own input."""

    def __init__(self, width, heads, kernel, causal=False, glu=True, weight_softmax=True, weight_dropout=0.0):
        super().__init__(width, heads, kernel, causal, glu, weight_softmax, weight_dropout)
        self.kernel_proj = nn.Linear(width, heads * kernel, bias=False)

    def position_kernels(self, h):
        """(B, T, H, K) normalised kernels, one per position and head."""
        b, t, _ = h.shape
        return self.normalise(self.kernel_proj(h).view(b, t, self.heads, self.kernel))

    def convolve(self, h, padded):
        b, t, c = h.shape
        r = c // self.heads
        windows = padded.unfold(2, self.kernel, 1)  # (B, C, T, K): the K inputs each position sees
        kernels = self.position_kernels(h).permute(0, 2, 1, 3)  # (B, H, T, K)
        out = windows.view(b, self.heads, r, t, self.kernel) * kernels.unsqueeze(2)
        return out.sum(-1).view(b, c, t)

    def convolve_last(self, h, window):
        b, c, taps = window.shape
        r = c // self.heads
        kernels = self.position_kernels(h)[:, 0, :, -taps:]  # (B, H, taps): softmax first, then slice
        out = window.view(b, self.heads, r, taps) * kernels.unsqueeze(2)
        return out.sum(-1).view(b, c, 1)
