"""PyTorch reference for the dot-product attention mixers (Runtime/Mixers: SelfAttention, CrossAttention,
LocalAttention, SparsemaxAttention and Functional.Sparsemax), from composer_reference/attention.py.

Every mixer case registers the module (its weights go to the C# module by name) and compares outputs,
input gradients and parameter gradients. Batches mix four paddings: none, two positions on the right,
two on the left (so a decoder's first queries see no key at all) and, where it makes sense, a sequence
that is all padding.
"""
import torch

from composer_reference.attention import (CrossAttention, LocalAttention, SelfAttention, SparsemaxAttention,
                                          sparsemax)
from refcases import CaseFile

f = CaseFile("mixers_attention")

C, H = 8, 2


def padding_mask(b, t, all_padded=False):
    """Row 0 unpadded, row 1 padded on the right (2), row 2 on the left (2), row 3 (if any) all padding."""
    mask = torch.zeros(b, t, dtype=torch.bool)
    mask[1, t - 2:] = True
    mask[2, :2] = True
    if all_padded:
        mask[3] = True
    return mask


def sharpen(module, std=0.6):
    """Larger projections than nn.Linear's default, so scores spread out (sparsemax gets exact zeros)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("weight"):
                p.normal_(0.0, std)
    return module


def check_steps(mixer, x):
    """The reference's own step must reproduce its causal forward (sanity of the reference itself)."""
    with torch.no_grad():
        full = mixer(x)
        state, outs = None, []
        for t in range(x.shape[1]):
            out, state = mixer.step(x[:, t:t + 1], state)
            outs.append(out)
        stepped = torch.cat(outs, dim=1)
    assert torch.allclose(stepped, full, atol=1e-6), (type(mixer).__name__, (stepped - full).abs().max())


def mixer_case(name, mixer, t, all_padded=False, padded=True):
    b = 4 if all_padded else 3
    mixer.eval()
    if mixer.causal:
        check_steps(mixer, torch.randn(b, t, C))
    with f.case(name) as c:
        c.module(mixer)
        x = c.input("x", torch.randn(b, t, C))
        padding = c.input("padding", padding_mask(b, t, all_padded)) if padded else None
        c.output(mixer(x, padding))


# Sparsemax itself: random rows (some with large spreads, so exact zeros), a masked tail, a fully masked row.
with f.case("sparsemax") as c:
    z = torch.randn(5, 7) * torch.tensor([[0.1], [1.0], [3.0], [10.0], [1.0]])
    z[4, 3:] = torch.finfo(torch.float32).min / 2
    z = c.input("z", z)
    out = sparsemax(z)
    assert torch.allclose(out.sum(-1), torch.ones(5)) and (out == 0).any()
    c.output(out)
# Long rows: supports of about 1, 12, 60, 190 and 1000 of 1000 entries, so every prefix length Composer's
# partial sort tries (64, 512, then all) is needed by some row.
with f.case("sparsemax_long") as c:
    z = c.input("z", torch.randn(6, 1000) * torch.tensor([[10.0], [0.3], [0.05], [0.01], [0.0001], [1.0]]))
    out = sparsemax(z)
    support = (out > 0).sum(-1)
    assert support.min() < 64 and ((support > 64) & (support < 512)).any() and support.max() > 512, support
    c.output(out)
with f.case("sparsemax_masked_row") as c:
    z = c.input("z", torch.full((2, 4), torch.finfo(torch.float32).min / 2))
    c.output(sparsemax(z))

# Softmax self-attention.
mixer_case("self_attention_encoder", SelfAttention(C, H), t=6, all_padded=True)
mixer_case("self_attention_decoder", SelfAttention(C, H, causal=True), t=6)
mixer_case("self_attention_unpadded", SelfAttention(C, H, causal=True), t=5, padded=False)

# Sparsemax attention.
mixer_case("sparsemax_attention_encoder", sharpen(SparsemaxAttention(C, H)), t=6, all_padded=True)
mixer_case("sparsemax_attention_decoder", sharpen(SparsemaxAttention(C, H, causal=True)), t=6)
# More keys than the first partial sort (64): flat scores give supports of hundreds.
mixer_case("sparsemax_attention_long", sharpen(SparsemaxAttention(C, H, causal=True), std=0.02), t=150)

# Local attention: long sequences use the blocked band, short ones (T <= span) the dense band.
mixer_case("local_attention_encoder_blocked", LocalAttention(C, H, window=2, causal=False), t=9, all_padded=True)
mixer_case("local_attention_encoder_window1", LocalAttention(C, H, window=1, causal=False), t=7)
mixer_case("local_attention_encoder_dense", LocalAttention(C, H, window=3, causal=False), t=7)
mixer_case("local_attention_decoder_blocked", LocalAttention(C, H, window=2, causal=True), t=7)
mixer_case("local_attention_decoder_dense", LocalAttention(C, H, window=4, causal=True), t=6)
mixer_case("local_attention_decoder_unpadded", LocalAttention(C, H, window=3, causal=True), t=11, padded=False)

# Cross-attention: target length 5, memory length 7; memory row 3 is all padding.
for name, normalise in [("cross_attention", "softmax"), ("cross_attention_sparsemax", "sparsemax")]:
    mixer = CrossAttention(C, H, normalise=normalise)
    if normalise == "sparsemax":
        sharpen(mixer)
    mixer.eval()
    with f.case(name) as c:
        c.module(mixer)
        query = c.input("query", torch.randn(4, 5, C))
        memory = c.input("memory", torch.randn(4, 7, C))
        memory_padding = c.input("memory_padding", padding_mask(4, 7, all_padded=True))
        c.output(mixer(query, memory, memory_padding))

f.save()
