"""Stack structure, written from MIXERS.md §9 and §10 and docs/generator.md (independently of the C# code):
Funnel pooling between encoder blocks and reversible residual stacks.

Funnel (§10):
  * Between blocks the sequence (B, T, C) is pooled with kernel 2, stride 2 (mean or max). With keep_first
    position 0 is left out of the pooling and put back in front: (B, 1 + (T - 1) // 2, C). An odd trailing
    position is dropped (Funnel's truncate_seq).
  * A pooled position is padded when either of its two inputs is (the validity mask is min-pooled).
  * The first layer of each new block lets the pooled sequence ask and the unpooled one answer: for
    attention, queries from the pooled sequence, keys and values from the sequence before pooling (masked
    by its padding); its residual is the pooled sequence. Pre-norm: h' + f(norm(h'), norm(h)); post-norm:
    norm(h' + f(h', h)). Mixers that cannot take pooled queries see the pooled sequence alone.

Reversible stacks (§9): the stack input x is copied into two streams x1 = x2 = x; the sublayers of the layers
(mixer, cross, feed-forward, in order) update them in turn, even ones x1 += f(x2), odd ones x2 += f(x1), each
f being the pre-norm residual branch dropout(sublayer(norm(.))); the stack's output is (x1 + x2) / 2, then the
final norm. Here autograd stores every activation; Composer recomputes them, and must agree.
"""
import torch
import torch.nn.functional as F
from torch import nn

from .attention import attend, merge_heads, split_heads
from .models import ACTIVATIONS, Block, FeedForward, Stack, pool


def funnel_pool(x, kind, keep_first):
    """(B, T, C) -> (B, T', C): pairs of positions averaged or maxed, the first kept apart if asked."""
    head, body = (x[:, :1], x[:, 1:]) if keep_first else (None, x)
    pairs = body.shape[1] // 2
    body = body[:, :2 * pairs].reshape(x.shape[0], pairs, 2, x.shape[2])
    pooled = body.mean(2) if kind == "mean" else body.amax(2)
    return pooled if head is None else torch.cat([head, pooled], 1)


def funnel_padding(padding, keep_first):
    """(B, T) True = padded -> (B, T'): a pooled position is valid only when both of its inputs are."""
    if padding is None:
        return None
    head, body = (padding[:, :1], padding[:, 1:]) if keep_first else (None, padding)
    pairs = body.shape[1] // 2
    valid = (~body[:, :2 * pairs]).reshape(padding.shape[0], pairs, 2).all(-1)
    pooled = ~valid
    return pooled if head is None else torch.cat([head, pooled], 1)


def pooled_query_attention(attention, query, x, padding):
    """A composer_reference SelfAttention (softmax or sparsemax) with queries from `query` and keys and values
    from `x`: its qkv_proj rows [Q | K | V] applied to the two sequences."""
    q = F.linear(query, *[p[:attention.qkv_proj.out_features // 3] for p in (attention.qkv_proj.weight, attention.qkv_proj.bias)])
    q = split_heads(q, attention.heads)
    _, k, v = attention.project(x)
    mask = None if padding is None else padding[:, None, None, :]
    out = attend(q, k, v, mask, attention.normalise, attention.dropout, attention.training)
    return attention.out_proj(merge_heads(out))


class FunnelStack(Stack):
    """An encoder Stack whose layers form blocks with pooling between them. `blocks` lists the layers per
    block; `pooled_queries(layer)` says whether a block's first layer takes pooled queries."""

    def __init__(self, *args, blocks, kind, keep_first, pooled_queries, **kwargs):
        super().__init__(*args, **kwargs)
        assert sum(blocks) == len(self.layers)
        self.starts = set()
        at = 0
        for size in blocks[:-1]:
            at += size
            self.starts.add(at)
        self.funnel_kind, self.keep_first, self.pooled_queries = kind, keep_first, pooled_queries

    def encode(self, tokens, padding):
        """Returns the stack's output and the padding at its final resolution."""
        h = self.embed_tokens(tokens, 0)
        for i, layer in enumerate(self.layers):
            if i in self.starts:
                pooled = funnel_pool(h, self.funnel_kind, self.keep_first)
                pooled_padding = funnel_padding(padding, self.keep_first)
                if self.pooled_queries(layer.mixer):
                    h = pooled_first_layer(layer, pooled, h, padding, pooled_padding)
                else:
                    h = layer(pooled, pooled_padding)
                padding = pooled_padding
            else:
                h = layer(h, padding)
        return self.finish(h), padding

    def forward(self, tokens, padding=None, memory=None, memory_padding=None):
        return self.encode(tokens, padding)[0]


def pooled_first_layer(layer, pooled, h, padding, pooled_padding):
    """The first layer of a new block: pooled queries over the unpooled sequence, then the feed-forward."""
    mixer = lambda query, keys: pooled_query_attention(layer.mixer, query, keys, padding)
    if layer.pre:
        out = pooled + F.dropout(mixer(layer.mixer_norm(pooled), layer.mixer_norm(h)), layer.dropout, layer.training)
    else:
        out = layer.mixer_norm(pooled + F.dropout(mixer(pooled, h), layer.dropout, layer.training))
    return layer.residual(out, layer.ffn_norm, layer.ffn)


class FunnelClassifier(nn.Module):
    """Encoder-only classifier over a FunnelStack: the pooling uses the padding of the final resolution."""

    def __init__(self, vocabulary, classes, width, inner, layers, blocks, kind, keep_first, pooled_queries,
                 pooling="mean", activation="gelu", pre=True, positions="sinusoidal", max_length=0):
        super().__init__()
        stack = FunnelStack(vocabulary, width, inner, activation, pre, positions, max_length,
                            [{"mixer": layer(False)} for layer in layers], output=False, tied=False,
                            blocks=blocks, kind=kind, keep_first=keep_first, pooled_queries=pooled_queries)
        for name, module in stack.named_children():
            self.add_module(name, module)
        self.stack = [stack]
        self.pooling = pooling
        self.classifier = nn.Linear(width, classes)

    def train(self, mode=True):
        self.stack[0].training = mode
        return super().train(mode)

    def forward(self, tokens, padding=None):
        h, padding = self.stack[0].encode(tokens, padding)
        return self.classifier(pool(h, padding, self.pooling))


def _branch(layer, sublayer):
    """A residual branch: the sublayer's output with the layer's residual dropout."""
    return lambda x: F.dropout(sublayer(x), layer.dropout, layer.training)


def _stepper(module, norm, state, key):
    """A sublayer decoding one step: it reads and replaces state[key]."""
    def step(x):
        y, state[key] = module.step(norm(x), state[key])
        return y
    return step


class ReversibleStack(Stack):
    """A Stack whose layers are coupled reversibly (pre-norm only)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assert self.pre, "a reversible stack is pre-norm"

    def sublayers(self, padding, memory, memory_padding, states=None):
        """The residual branches in order; with `states` (a list of per-layer dicts) they decode one step."""
        branches = []
        for i, layer in enumerate(self.layers):
            if states is None:
                branches.append(_branch(layer, lambda x, layer=layer: layer.mixer(layer.mixer_norm(x), padding)))
            else:
                branches.append(_branch(layer, _stepper(layer.mixer, layer.mixer_norm, states[i], "mixer")))
            if layer.has_cross:
                if states is None:
                    branches.append(_branch(layer, lambda x, layer=layer: layer.cross(layer.cross_norm(x), memory, memory_padding)))
                else:
                    branches.append(_branch(layer, _stepper(layer.cross, layer.cross_norm, states[i], "cross")))
            branches.append(_branch(layer, lambda x, layer=layer: layer.ffn(layer.ffn_norm(x))))
        return branches

    @staticmethod
    def couple(x, branches):
        first = second = x
        for k, f in enumerate(branches):
            if k % 2 == 0:
                first = first + f(second)
            else:
                second = second + f(first)
        return (first + second) / 2

    def forward(self, tokens, padding=None, memory=None, memory_padding=None):
        h = self.embed_tokens(tokens, 0)
        return self.finish(self.couple(h, self.sublayers(padding, memory, memory_padding)))

    def step(self, token, state):
        h = self.embed_tokens(token, state["position"])
        h = self.couple(h, self.sublayers(None, None, None, states=state["layers"]))
        state["position"] += 1
        return self.finish(h)
