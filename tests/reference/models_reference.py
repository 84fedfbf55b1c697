"""PyTorch references for the generated models (tests/Composer.Samples.Tests/GeneratedModelTests.cs).

Each sample architecture of sample-models/Declarations is built by composer_reference.models at a
reduced width (its twin, declared in the test project with only Width, FeedForward and the vocabulary changed) and
stored with its weights under the generated models' dotted names: the C# test loads them into the
generated model and compares the full-sequence forward and, for causal models, the step-by-step
decoding loop, with their input and parameter gradients. The full-width samples are checked against
the same modules by tests/reference/check_models.py when PyTorch is installed.
"""
import torch

from composer_reference import models
from refcases import CaseFile

WIDTH, INNER, VOCABULARY = 16, 32, 64

f = CaseFile("models")
generator = torch.Generator().manual_seed(7)


def padding(batch, length, padded):
    """Row 0 unpadded, row 1 padded at its last `padded` positions."""
    mask = torch.zeros(batch, length, dtype=torch.bool)
    mask[1, length - padded:] = True
    return mask


for name in models.SAMPLES:
    with f.case(name) as c:
        model = c.module(models.sample(name, width=WIDTH, vocabulary=VOCABULARY, inner=INNER))
        models.perturb_norms(model, generator)
        model.eval()
        if name == "ConvTranslator":
            source = c.input("source", torch.randint(0, VOCABULARY, (2, 8)))
            source_padding = c.input("source_padding", padding(2, 8, 2))
            target = c.input("target", torch.randint(0, VOCABULARY, (2, 6)))
            target_padding = c.input("target_padding", padding(2, 6, 1))
            c.output(model(source, source_padding, target, target_padding),
                     model.generate_logits(source, source_padding, target))
        elif name == "AttentionClassifier":
            tokens = c.input("tokens", torch.randint(0, VOCABULARY, (2, 9)))
            c.output(model(tokens, c.input("padding", padding(2, 9, 3))))
        else:
            tokens = c.input("tokens", torch.randint(0, VOCABULARY, (2, 9)))
            c.output(model(tokens, c.input("padding", padding(2, 9, 3))), model.generate_logits(tokens))
f.save()
