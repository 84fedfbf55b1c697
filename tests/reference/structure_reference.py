"""PyTorch references for stack structure (MIXERS.md §9, §10), from composer_reference/structure.py:

* Funnel pooling of values and padding (Runtime/Layers/FunnelPool) and attention from pooled queries
  (SelfAttention and SparsemaxAttention as IPooledQueryMixer), checked by tests/Composer.Runtime.Tests;
* whole generated models with Funnel and reversible stacks, declared in tests/Composer.Samples.Tests/
  StructureTwins.cs and checked by StructureModelTests.cs: outputs, the step-by-step decoding loop where
  there is one, and every input and parameter gradient. PyTorch stores every activation here; Composer's
  reversible stacks recompute them in the backward pass, and must give the same gradients.
"""
import torch

from composer_reference import attention, convolution, models, structure
from refcases import CaseFile

f = CaseFile("structure")
C, H, WIDTH, INNER, VOCABULARY = 8, 2, 16, 32, 64
generator = torch.Generator().manual_seed(11)


def padding(batch, length, padded):
    """Row 0 unpadded, row 1 padded at its last `padded` positions."""
    mask = torch.zeros(batch, length, dtype=torch.bool)
    mask[1, length - padded:] = True
    return mask


# ---------------------------------------------------------------- Funnel pooling

# Odd lengths: the trailing position is dropped; with keep_first the first is kept apart.
for name, kind, keep_first, t in [("pool_mean", "mean", False, 7), ("pool_max", "max", False, 8),
                                  ("pool_mean_first", "mean", True, 8), ("pool_max_first", "max", True, 9)]:
    with f.case(name) as c:
        x = c.input("x", torch.randn(3, t, C))
        mask = torch.zeros(3, t, dtype=torch.bool)
        mask[1, t - 3:] = True      # an odd number of padded positions: one pair mixes valid and padded
        mask[2, :] = True
        mask = c.input("padding", mask)
        c.output(structure.funnel_pool(x, kind, keep_first), structure.funnel_padding(mask, keep_first))

# Attention from pooled queries: the same module's weights, queries from a shorter sequence. Row 2's keys
# are all padding (its queries see nothing and give zeros before out_proj).
for name, module in [("pooled_queries_softmax", attention.SelfAttention(C, H)),
                     ("pooled_queries_sparsemax", attention.SparsemaxAttention(C, H))]:
    module.eval()
    with torch.no_grad():
        for p in module.parameters():
            p.normal_(0.0, 0.5)
    with f.case(name) as c:
        c.module(module)
        x = c.input("x", torch.randn(3, 7, C))
        query = c.input("query", torch.randn(3, 4, C))
        mask = torch.zeros(3, 7, dtype=torch.bool)
        mask[1, 5:] = True
        mask[2, :] = True
        mask = c.input("padding", mask)
        c.output(structure.pooled_query_attention(module, query, x, mask))


# ---------------------------------------------------------------- whole models

def takes_pooled_queries(mixer):
    return isinstance(mixer, attention.SelfAttention) and not isinstance(mixer, attention.LocalAttention)


def funnel_classifier():
    """FunnelClassifierTwin: four attention layers in blocks 1, 2, 1, mean pooling, first position apart."""
    return structure.FunnelClassifier(
        VOCABULARY, 3, WIDTH, INNER, [lambda causal: attention.SelfAttention(WIDTH, 4, causal=causal)] * 4,
        blocks=[1, 2, 1], kind="mean", keep_first=True, pooled_queries=takes_pooled_queries, pooling="first",
        max_length=17)


def max_funnel_classifier():
    """MaxFunnelClassifierTwin: post-norm; a convolution, sparsemax attention taking max-pooled queries, a
    convolution on the max-pooled sequence."""
    layers = [lambda causal: convolution.LightweightConvolution(WIDTH, 4, 3, causal=causal),
              lambda causal: attention.SparsemaxAttention(WIDTH, 4, causal=causal),
              lambda causal: convolution.LightweightConvolution(WIDTH, 4, 3, causal=causal)]
    return structure.FunnelClassifier(
        VOCABULARY, 2, WIDTH, INNER, layers, blocks=[1, 1, 1], kind="max", keep_first=False,
        pooled_queries=takes_pooled_queries, pooling="mean", pre=False, max_length=16)


# The translators' stacks are submodules, so they compute their sinusoids on the fly (max_length 0) rather than
# register a table the generated models do not have; the values are the same.


class FunnelTranslator(torch.nn.Module):
    """FunnelTranslatorTwin: an encoder of blocks 2, 1 (mean pooling); the decoder attends to the pooled memory
    with the source padding pooled alike."""

    def __init__(self):
        super().__init__()
        self.encoder = structure.FunnelStack(
            VOCABULARY, WIDTH, INNER, "gelu", True, "sinusoidal", 0,
            [{"mixer": attention.SelfAttention(WIDTH, 4)} for _ in range(3)], output=False, tied=False,
            blocks=[2, 1], kind="mean", keep_first=False, pooled_queries=takes_pooled_queries)
        self.decoder = models.Stack(
            VOCABULARY, WIDTH, INNER, "gelu", True, "sinusoidal", 0,
            [{"mixer": attention.SelfAttention(WIDTH, 4, causal=True), "cross": attention.CrossAttention(WIDTH, 8)}
             for _ in range(2)], output=True, tied=False)

    def forward(self, source, source_padding, target, target_padding):
        memory, memory_padding = self.encoder.encode(source, source_padding)
        return self.decoder(target, target_padding, memory, memory_padding)

    def generate_logits(self, source, source_padding, target):
        memory, memory_padding = self.encoder.encode(source, source_padding)
        state = self.decoder.new_state(memory, memory_padding)
        return torch.cat([self.decoder.step(target[:, t:t + 1], state) for t in range(target.shape[1])], dim=1)


class ReversibleLm(torch.nn.Module):
    """ReversibleLmTwin: two attention layers and a lightweight convolution (K = 3), reversibly coupled."""

    def __init__(self):
        super().__init__()
        layers = [{"mixer": attention.SelfAttention(WIDTH, 4, causal=True)} for _ in range(2)]
        layers.append({"mixer": convolution.LightweightConvolution(WIDTH, 4, 3, causal=True)})
        stack = structure.ReversibleStack(VOCABULARY, WIDTH, INNER, "gelu", True, "sinusoidal", 0, layers,
                                          output=True, tied=False)
        for name, module in stack.named_children():
            self.add_module(name, module)
        self.stack = [stack]

    def forward(self, tokens, padding=None):
        return self.stack[0](tokens, padding)

    def generate_logits(self, tokens):
        state = self.stack[0].new_state()
        return torch.cat([self.stack[0].step(tokens[:, t:t + 1], state) for t in range(tokens.shape[1])], dim=1)


class ReversibleTranslator(torch.nn.Module):
    """ReversibleTranslatorTwin: reversible encoder and decoder; the decoder's cross sublayers (default
    softmax cross-attention) take part in the coupling, so the memory's gradient comes through it."""

    def __init__(self):
        super().__init__()
        self.encoder = structure.ReversibleStack(
            VOCABULARY, WIDTH, INNER, "gelu", True, "sinusoidal", 0,
            [{"mixer": attention.SelfAttention(WIDTH, 4)} for _ in range(2)], output=False, tied=False)
        self.decoder = structure.ReversibleStack(
            VOCABULARY, WIDTH, INNER, "gelu", True, "sinusoidal", 0,
            [{"mixer": attention.SelfAttention(WIDTH, 4, causal=True), "cross": attention.CrossAttention(WIDTH, 8)}
             for _ in range(2)], output=True, tied=False)

    def forward(self, source, source_padding, target, target_padding):
        memory = self.encoder(source, source_padding)
        return self.decoder(target, target_padding, memory, source_padding)

    def generate_logits(self, source, source_padding, target):
        memory = self.encoder(source, source_padding)
        state = self.decoder.new_state(memory, source_padding)
        return torch.cat([self.decoder.step(target[:, t:t + 1], state) for t in range(target.shape[1])], dim=1)


def classifier_case(name, model, length, padded):
    with f.case(name) as c:
        c.module(model)
        models.perturb_norms(model, generator)
        model.eval()
        tokens = c.input("tokens", torch.randint(0, VOCABULARY, (2, length)))
        c.output(model(tokens, c.input("padding", padding(2, length, padded))))


def translator_case(name, model, source_length):
    with f.case(name) as c:
        c.module(model)
        models.perturb_norms(model, generator)
        model.eval()
        source = c.input("source", torch.randint(0, VOCABULARY, (2, source_length)))
        source_padding = c.input("source_padding", padding(2, source_length, 3))
        target = c.input("target", torch.randint(0, VOCABULARY, (2, 6)))
        target_padding = c.input("target_padding", padding(2, 6, 1))
        c.output(model(source, source_padding, target, target_padding),
                 model.generate_logits(source, source_padding, target))


# Lengths 10 and 9: the first pooling drops a trailing position.
classifier_case("FunnelClassifier", funnel_classifier(), 10, 3)
classifier_case("MaxFunnelClassifier", max_funnel_classifier(), 9, 3)
translator_case("FunnelTranslator", FunnelTranslator(), 9)
with f.case("ReversibleLm") as c:
    model = c.module(ReversibleLm())
    models.perturb_norms(model, generator)
    model.eval()
    tokens = c.input("tokens", torch.randint(0, VOCABULARY, (2, 9)))
    c.output(model(tokens, c.input("padding", padding(2, 9, 3))), model.generate_logits(tokens))
translator_case("ReversibleTranslator", ReversibleTranslator(), 8)
f.save()
