"""Whole models as Composer generates them from a declaration, written from the semantics the generated
code documents (docs/generator.md), independently of the generator: token embedding scaled by sqrt(C),
positions, residual blocks (pre- or post-norm), feed-forward, final norm, output projection, pooling.
The mixers are the independent references of this package.

Parameter names are the generated models' dotted names (the contract the C# side loads by):
    embed.weight                      token embedding (V, C)
    positions.weight                  learned positions (L, C), when declared
    layers.{i}.mixer_norm.*           LayerNorm of the mixer sublayer
    layers.{i}.mixer.*                the mixer's own parameters
    layers.{i}.cross_norm.*, .cross.* the cross sublayer (Seq2Seq decoder only)
    layers.{i}.ffn_norm.*             LayerNorm of the feed-forward sublayer
    layers.{i}.ffn.fc1.*, .ffn.fc2.*  the feed-forward
    norm.*                            final LayerNorm (pre-norm only)
    output.weight                     projection onto the vocabulary, no bias (absent when tied)
    classifier.*                      classifier head (classifiers)
A Seq2Seq model prefixes its stacks with encoder. and decoder.

A layer is described by a dict: {"mixer": factory(causal) -> module, "cross": factory() -> module or
None}. Residual dropout (on the embeddings and on each sublayer's output) is off unless a model is built
with dropout > 0 (bench/run training does, to train as the samples do); the comparisons run in evaluation mode.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from . import attention, convolution, linear


def sinusoidal(offset, length, width):
    """Sines on even channels, cosines on odd ones; frequency 10000^(-2i/C) for channel pair i."""
    position = torch.arange(offset, offset + length, dtype=torch.float64)[:, None]
    frequency = torch.exp(torch.arange(0, width, 2, dtype=torch.float64) * (-math.log(10000.0) / width))
    angle = position * frequency
    table = torch.empty(length, width, dtype=torch.float64)
    table[:, 0::2] = torch.sin(angle)
    table[:, 1::2] = torch.cos(angle)
    return table.float()


class FeedForward(nn.Module):
    def __init__(self, width, inner, activation):
        super().__init__()
        self.fc1, self.fc2, self.activation = nn.Linear(width, inner), nn.Linear(inner, width), activation

    def forward(self, x):
        return self.fc2(self.activation(self.fc1(x)))


ACTIVATIONS = {"gelu": F.gelu, "relu": F.relu, "silu": F.silu}


class Block(nn.Module):
    """One layer: mixer sublayer, optional cross sublayer, feed-forward sublayer, each residual."""

    def __init__(self, width, inner, activation, pre, mixer, cross=None, dropout=0.0):
        super().__init__()
        self.pre, self.dropout = pre, dropout
        self.mixer_norm = nn.LayerNorm(width)
        self.mixer = mixer
        if cross is not None:
            self.cross_norm = nn.LayerNorm(width)
            self.cross = cross
        self.has_cross = cross is not None
        self.ffn_norm = nn.LayerNorm(width)
        self.ffn = FeedForward(width, inner, ACTIVATIONS[activation])

    def residual(self, h, norm, sublayer):
        """Residual dropout on the sublayer's output before the addition, as the generated code does."""
        if self.pre:
            return h + F.dropout(sublayer(norm(h)), self.dropout, self.training)
        return norm(h + F.dropout(sublayer(h), self.dropout, self.training))

    def forward(self, h, padding, memory=None, memory_padding=None):
        h = self.residual(h, self.mixer_norm, lambda x: self.mixer(x, padding))
        if self.has_cross:
            h = self.residual(h, self.cross_norm, lambda x: self.cross(x, memory, memory_padding))
        return self.residual(h, self.ffn_norm, self.ffn)

    def step(self, h, state):
        """state: {"mixer": mixer state or None, "cross": cross state}; returns (h, state)."""
        out = {}

        def mixer(x):
            y, out["mixer"] = self.mixer.step(x, state["mixer"])
            return y

        def cross(x):
            y, out["cross"] = self.cross.step(x, state["cross"])
            return y

        h = self.residual(h, self.mixer_norm, mixer)
        if self.has_cross:
            h = self.residual(h, self.cross_norm, cross)
        return self.residual(h, self.ffn_norm, self.ffn), out


class Stack(nn.Module):
    """Embedding, positions, layers, final norm and (for causal stacks) the output projection."""

    def __init__(self, vocabulary, width, inner, activation, pre, positions, max_length, layers, output, tied,
                 dropout=0.0):
        super().__init__()
        self.width, self.pre, self.kind, self.output_kind = width, pre, positions, output
        self.dropout = dropout
        self.embed = nn.Embedding(vocabulary, width)
        if positions == "sinusoidal" and max_length > 0:
            # Computed once, as an eager implementation would, so decoding does not rebuild it per token.
            self.register_buffer("table", sinusoidal(0, max_length, width), persistent=False)
        if positions == "learned":
            self.positions = nn.Module()
            self.positions.weight = nn.Parameter(torch.randn(max_length, width) / math.sqrt(width))
        self.layers = nn.ModuleList(
            Block(width, inner, activation, pre, layer["mixer"], layer.get("cross"), dropout) for layer in layers)
        if pre:
            self.norm = nn.LayerNorm(width)
        self.tied = tied
        if output and not tied:
            self.output = nn.Linear(width, vocabulary, bias=False)

    def embed_tokens(self, tokens, offset):
        h = self.embed(tokens) * math.sqrt(self.width)
        t = tokens.shape[1]
        if self.kind == "sinusoidal":
            h = h + (self.table[offset:offset + t] if hasattr(self, "table") else sinusoidal(offset, t, self.width))
        elif self.kind == "learned":
            h = h + self.positions.weight[offset:offset + t]
        return F.dropout(h, self.dropout, self.training)

    def finish(self, h):
        if self.pre:
            h = self.norm(h)
        if not self.output_kind:
            return h
        return F.linear(h, self.embed.weight) if self.tied else self.output(h)

    def forward(self, tokens, padding=None, memory=None, memory_padding=None):
        h = self.embed_tokens(tokens, 0)
        for layer in self.layers:
            h = layer(h, padding, memory, memory_padding)
        return self.finish(h)

    def new_state(self, memory=None, memory_padding=None):
        return {"position": 0, "layers": [
            {"mixer": None, "cross": layer.cross.memory_state(memory, memory_padding) if layer.has_cross else None}
            for layer in self.layers]}

    def step(self, token, state):
        h = self.embed_tokens(token, state["position"])
        for i, layer in enumerate(self.layers):
            h, state["layers"][i] = layer.step(h, state["layers"][i])
        state["position"] += 1
        return self.finish(h)


class _OneStack(nn.Module):
    """A model over one Stack whose parameters it registers as its own (embed.weight, layers.0…): the
    stack itself is held outside the module tree, so train()/eval() set its flag (embedding dropout) here."""

    def train(self, mode=True):
        self.stack[0].training = mode
        return super().train(mode)


class LanguageModel(_OneStack):
    """Decoder-only language model: one causal stack with its output projection."""

    def __init__(self, vocabulary, width, inner, layers, activation="gelu", pre=True, positions="sinusoidal",
                 max_length=0, tied=False, dropout=0.0):
        super().__init__()
        stack = Stack(vocabulary, width, inner, activation, pre, positions, max_length,
                      [{"mixer": layer(True)} for layer in layers], output=True, tied=tied, dropout=dropout)
        # The stack's parameters are the model's own (embed.weight, layers.0…), not stack.….
        for name, module in stack.named_children():
            self.add_module(name, module)
        self.stack = [stack]

    def forward(self, tokens, padding=None):
        return self.stack[0](tokens, padding)

    def generate_logits(self, tokens):
        """Feeds the tokens one at a time through step; returns the logits (B, T, V)."""
        state = self.stack[0].new_state()
        return torch.cat([self.stack[0].step(tokens[:, t:t + 1], state) for t in range(tokens.shape[1])], dim=1)


def pool(h, padding, kind):
    if kind == "mean":
        if padding is None:
            return h.mean(1)
        keep = (~padding).unsqueeze(-1).to(h.dtype)
        return (h * keep).sum(1) / keep.sum(1).clamp(min=1)
    if kind == "max":
        return (h if padding is None else h.masked_fill(padding.unsqueeze(-1), float("-inf"))).max(1).values
    if kind == "first":
        return h[:, 0]
    last = (h.shape[1] - 1) * torch.ones(h.shape[0], dtype=torch.long) if padding is None else ((~padding).sum(1) - 1).clamp(min=0)
    return h[torch.arange(h.shape[0]), last]


class Classifier(_OneStack):
    """Encoder-only classifier: one bidirectional stack, pooling, a linear head."""

    def __init__(self, vocabulary, classes, width, inner, layers, pooling="mean", activation="gelu", pre=True,
                 positions="sinusoidal", max_length=0):
        super().__init__()
        stack = Stack(vocabulary, width, inner, activation, pre, positions, max_length,
                      [{"mixer": layer(False)} for layer in layers], output=False, tied=False)
        for name, module in stack.named_children():
            self.add_module(name, module)
        self.stack = [stack]
        self.pooling = pooling
        self.classifier = nn.Linear(width, classes)

    def forward(self, tokens, padding=None):
        return self.classifier(pool(self.stack[0](tokens, padding), padding, self.pooling))


class Seq2Seq(nn.Module):
    """Encoder–decoder: a bidirectional encoder stack and a causal decoder stack with cross sublayers."""

    def __init__(self, source_vocabulary, target_vocabulary, width, inner, encoder_layers, decoder_layers, cross,
                 activation="gelu", pre=True, positions="sinusoidal", max_length=0, tied=False):
        super().__init__()
        self.encoder = Stack(source_vocabulary, width, inner, activation, pre, positions, max_length,
                             [{"mixer": layer(False)} for layer in encoder_layers], output=False, tied=False)
        self.decoder = Stack(target_vocabulary, width, inner, activation, pre, positions, max_length,
                             [{"mixer": layer(True), "cross": cross(i)} for i, layer in enumerate(decoder_layers)],
                             output=True, tied=tied)

    def forward(self, source, source_padding, target, target_padding):
        memory = self.encoder(source, source_padding)
        return self.decoder(target, target_padding, memory, source_padding)

    def generate_logits(self, source, source_padding, target):
        memory = self.encoder(source, source_padding)
        state = self.decoder.new_state(memory, source_padding)
        return torch.cat([self.decoder.step(target[:, t:t + 1], state) for t in range(target.shape[1])], dim=1)


# ---------------------------------------------------------------- the sample declarations

def self_attention(width, heads):
    return lambda causal: attention.SelfAttention(width, heads, causal=causal)


def lightweight(width, heads, kernel):
    return lambda causal: convolution.LightweightConvolution(width, heads, kernel, causal=causal)


def dynamic(width, heads, kernel):
    return lambda causal: convolution.DynamicConvolution(width, heads, kernel, causal=causal)


def linear_attention(width, heads):
    return lambda causal: linear.LinearAttention(width, heads, causal=causal, feature="elu")


KERNELS_7 = [3, 7, 15, 31, 31, 31, 31]
KERNELS_6 = [3, 7, 15, 31, 31, 31]


WIDTHS = {"HybridLm": 256, "AttentionClassifier": 128}


def sample(name, width=None, vocabulary=256, inner=None):
    """The model of sample-models/Declarations/{name}.cs, optionally at another size (its twin)."""
    c = width or WIDTHS.get(name, 512)
    inner = inner or 4 * c
    if name == "TransformerLm":
        return LanguageModel(vocabulary, c, inner, [self_attention(c, 8)] * 6, max_length=1024, tied=True)
    if name == "LightConvLm":
        return LanguageModel(vocabulary, c, inner, [lightweight(c, 16, k) for k in KERNELS_7], max_length=1024)
    if name == "DynamicConvLm":
        return LanguageModel(vocabulary, c, inner, [dynamic(c, 16, k) for k in KERNELS_7], max_length=1024)
    if name == "LinearTransformerLm":
        return LanguageModel(vocabulary, c, inner, [linear_attention(c, 8)] * 6, max_length=1024)
    if name == "HybridLm":
        return LanguageModel(vocabulary, c, inner,
                             [lightweight(c, 8, k) for k in [3, 7, 15, 31]] + [self_attention(c, 8)] * 2,
                             max_length=1024)
    if name == "ConvTranslator":
        return Seq2Seq(vocabulary, vocabulary, c, inner, [dynamic(c, 16, k) for k in KERNELS_7],
                       [dynamic(c, 16, k) for k in KERNELS_6], lambda i: attention.CrossAttention(c, 8), pre=False)
    if name == "AttentionClassifier":
        return Classifier(vocabulary, 2, c, inner, [self_attention(c, 4)] * 4, pooling="mean",
                          positions="learned", max_length=512)
    raise ValueError(f"no sample named {name}")


SAMPLES = ["AttentionClassifier", "ConvTranslator", "DynamicConvLm", "HybridLm", "LightConvLm",
           "LinearTransformerLm", "TransformerLm"]


def perturb_norms(model, generator):
    """LayerNorms start at weight 1, bias 0; random values make a test see a swapped or missing norm."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.LayerNorm):
                module.weight.copy_(1 + 0.2 * torch.randn(module.weight.shape, generator=generator))
                module.bias.copy_(0.2 * torch.randn(module.bias.shape, generator=generator))
