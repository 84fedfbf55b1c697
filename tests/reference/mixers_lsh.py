"""PyTorch reference for Reformer's LSH attention (Runtime/Mixers/LshAttention), from
composer_reference/lsh.py, which builds each round's allowed pairs as a dense mask where Composer sorts and
gathers chunks.

Every case registers the module, rotations included (a buffer: the C# module loads the same ones), and
compares outputs, input gradients and parameter gradients. Batches mix paddings: none, two positions on the
right, two on the left and, in encoder cases, a sequence that is all padding.
"""
import torch

from composer_reference.lsh import LshAttention
from refcases import CaseFile

f = CaseFile("mixers_lsh")

C, H = 8, 2


def padding_mask(b, t, all_padded=False):
    mask = torch.zeros(b, t, dtype=torch.bool)
    mask[1, t - 2:] = True
    mask[2, :2] = True
    if all_padded:
        mask[3] = True
    return mask


def check_steps(mixer, x):
    """With every key in every window (one bucket, one chunk) the forward is full attention: the step's."""
    with torch.no_grad():
        full = mixer(x)
        state, outs = None, []
        for t in range(x.shape[1]):
            out, state = mixer.step(x[:, t:t + 1], state)
            outs.append(out)
        stepped = torch.cat(outs, dim=1)
    error = (stepped - full).abs().max()
    assert error <= 1e-6 * full.abs().max(), error


def check_padding_is_invisible(mixer, x, padding):
    """Real positions do not change with padded values, and row 1 (padded on the right) is its unpadded prefix."""
    with torch.no_grad():
        a = mixer(x, padding)
        b = mixer(torch.where(padding[..., None], torch.randn_like(x) * 10, x), padding)
        real = ~padding[..., None]
        assert torch.allclose(a * real, b * real, atol=1e-6)
        t = x.shape[1]
        prefix = mixer(x[1:2, : t - 2])
        assert torch.allclose(a[1:2, : t - 2], prefix, atol=1e-6)


def case(name, mixer, t, all_padded=False, padded=True):
    b = 4 if all_padded else 3
    mixer.eval()
    with f.case(name) as c:
        c.module(mixer)
        x = c.input("x", torch.randn(b, t, C))
        padding = c.input("padding", padding_mask(b, t, all_padded)) if padded else None
        c.output(mixer(x, padding))
        if padded:
            check_padding_is_invisible(mixer, x.detach(), padding)


# Several chunks and buckets, two rounds (so keys seen by both rounds are counted once).
case("lsh_encoder", LshAttention(C, H, buckets=4, rounds=2, chunk=3), t=12, all_padded=True)
case("lsh_decoder", LshAttention(C, H, buckets=4, rounds=2, chunk=3, causal=True), t=12)
# One round: no duplicates to count.
case("lsh_encoder_one_round", LshAttention(C, H, buckets=2, rounds=1, chunk=2), t=8, all_padded=True)
# A length that is no multiple of the chunk (Composer fills it up), more rounds than buckets.
case("lsh_decoder_unpadded", LshAttention(C, H, buckets=6, rounds=3, chunk=4, causal=True), t=10, padded=False)
case("lsh_decoder_ragged", LshAttention(C, H, buckets=2, rounds=3, chunk=4, causal=True), t=9)

# The reference's own step equals its forward when one bucket and one chunk hold everything.
whole = LshAttention(C, H, buckets=2, rounds=2, chunk=16, causal=True)
with torch.no_grad():
    whole.rotations.zero_()
whole.eval()
check_steps(whole, torch.randn(3, 7, C))

f.save()
