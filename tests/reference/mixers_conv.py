"""Reference cases for the convolution and linear-attention mixers (MIXERS.md §2-§5):
LightweightConvolution, DynamicConvolution, LinearAttention (elu, relu) and TaylorAttention, in encoder
and decoder mode, with padding, for sequences shorter than the kernel and long enough to span several
chunks. Writes data/mixers_conv.safetensors."""
import torch

from composer_reference.convolution import DynamicConvolution, LightweightConvolution
from composer_reference.linear import LinearAttention, LinearCrossAttention, TaylorAttention, TaylorCrossAttention
from refcases import CaseFile

f = CaseFile("mixers_conv")

WIDTH, HEADS = 8, 2


def padding_mask(batch, time, padded):
    """(B, T) bool; `padded` lists, per sequence, the padded positions."""
    mask = torch.zeros(batch, time, dtype=torch.bool)
    for b, positions in enumerate(padded):
        mask[b, positions] = True
    return mask


def tail_padding(batch, time):
    """Sequence 0 unpadded, the others padded at the end (two, then one position), as batches of unequal lengths are."""
    return padding_mask(batch, time, [[]] + [list(range(time - 2 + (b % 2), time)) for b in range(1, batch)])


def check_steps(module, x):
    """The reference's own step-by-step decoding must reproduce its causal forward."""
    with torch.no_grad():
        full = module(x)
        state, outs = None, []
        for t in range(x.shape[1]):
            out, state = module.step(x[:, t:t + 1], state)
            outs.append(out)
        stepped = torch.cat(outs, dim=1)
    error = (stepped - full).abs().max().item()
    assert error <= 1e-5 * full.abs().max().item(), f"{type(module).__name__}: step differs from forward by {error}"


def convolution_case(name, cls, batch, time, kernel, causal, glu=True, weight_softmax=True, padded=True):
    with f.case(name) as c:
        m = c.module(cls(WIDTH, HEADS, kernel, causal=causal, glu=glu, weight_softmax=weight_softmax).eval())
        x = c.input("x", torch.randn(batch, time, WIDTH))
        if padded:
            c.output(m(x, c.input("padding", tail_padding(batch, time))))
        else:
            c.output(m(x))
        if causal:
            check_steps(m, x.detach())


def attention_case(name, module, batch, time, padded=True, scale=1.0):
    with f.case(name) as c:
        m = c.module(module.eval())
        x = c.input("x", torch.randn(batch, time, WIDTH) * scale)
        if padded:
            c.output(m(x, c.input("padding", tail_padding(batch, time))))
        else:
            c.output(m(x))
        if module.causal:
            check_steps(m, x.detach())


for cls, short in [(LightweightConvolution, "lightconv"), (DynamicConvolution, "dynamicconv")]:
    convolution_case(f"{short}_encoder", cls, 3, 9, 5, causal=False)
    convolution_case(f"{short}_decoder", cls, 3, 9, 5, causal=True)
    convolution_case(f"{short}_encoder_even_kernel", cls, 2, 7, 4, causal=False)
    convolution_case(f"{short}_encoder_short", cls, 2, 3, 7, causal=False)
    convolution_case(f"{short}_decoder_short", cls, 2, 3, 7, causal=True)
    convolution_case(f"{short}_kernel_one", cls, 2, 4, 1, causal=True, padded=False)
    convolution_case(f"{short}_no_glu_no_softmax", cls, 2, 6, 3, causal=True, glu=False, weight_softmax=False)
    # Several chunks of the banded form, the last one partial.
    convolution_case(f"{short}_encoder_long", cls, 2, 75, 3, causal=False)
    convolution_case(f"{short}_decoder_long", cls, 2, 75, 3, causal=True)

for feature in ["elu", "relu"]:
    attention_case(f"linear_{feature}_encoder", LinearAttention(WIDTH, HEADS, causal=False, feature=feature), 3, 7)
    attention_case(f"linear_{feature}_decoder", LinearAttention(WIDTH, HEADS, causal=True, feature=feature), 3, 7)
# Several chunks of the causal form, the last one partial.
attention_case("linear_elu_decoder_long", LinearAttention(WIDTH, HEADS, causal=True), 2, 150)
attention_case("linear_elu_encoder_long", LinearAttention(WIDTH, HEADS, causal=False), 2, 150)
attention_case("taylor_encoder", TaylorAttention(WIDTH, HEADS, causal=False), 3, 7)
attention_case("taylor_decoder", TaylorAttention(WIDTH, HEADS, causal=True), 3, 7)
attention_case("taylor_decoder_long", TaylorAttention(WIDTH, HEADS, causal=True), 2, 150)


def cross_case(name, module, batch, time, memory_time):
    with f.case(name) as c:
        m = c.module(module.eval())
        query = c.input("query", torch.randn(batch, time, WIDTH))
        memory = c.input("memory", torch.randn(batch, memory_time, WIDTH))
        c.output(m(query, memory, c.input("memory_padding", tail_padding(batch, memory_time))))


cross_case("linear_cross_elu", LinearCrossAttention(WIDTH, HEADS), 3, 4, 6)
cross_case("linear_cross_relu", LinearCrossAttention(WIDTH, HEADS, feature="relu"), 3, 4, 6)
cross_case("taylor_cross", TaylorCrossAttention(WIDTH, HEADS), 3, 5, 7)
f.save()
