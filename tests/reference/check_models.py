"""Runs a full-size sample model of composer_reference.models on weights and inputs a C# test wrote.

    check_models.py NAME IN.safetensors OUT.safetensors

IN holds "param/<dotted.name>" for every parameter of the generated model and "in/<name>" for the
inputs (tokens, padding; source, source_padding, target, target_padding for ConvTranslator). OUT gets
"out/0", the full-sequence logits, and for causal models "out/1", the logits of the step-by-step loop.
Used by tests/Composer.Samples.Tests/FullSizeModelTests.cs when PyTorch is installed; the committed
reference data (models_reference.py) cover the same architectures at reduced width.
"""
import sys

import numpy as np
import torch

import refio
from composer_reference import models


def main(name, source, target):
    arrays, _ = refio.read(source)
    tensors = {key: torch.from_numpy(np.array(value)) for key, value in arrays.items()}
    model = models.sample(name)
    state = {key[len("param/"):]: value for key, value in tensors.items() if key.startswith("param/")}
    missing = model.load_state_dict(state, strict=True)
    assert not missing.missing_keys and not missing.unexpected_keys, missing
    model.eval()
    inputs = {key[len("in/"):]: value for key, value in tensors.items() if key.startswith("in/")}
    with torch.no_grad():
        if name == "ConvTranslator":
            args = inputs["source"], inputs["source_padding"], inputs["target"], inputs["target_padding"]
            outputs = [model(*args), model.generate_logits(args[0], args[1], args[2])]
        elif name == "AttentionClassifier":
            outputs = [model(inputs["tokens"], inputs["padding"])]
        else:
            outputs = [model(inputs["tokens"], inputs["padding"]), model.generate_logits(inputs["tokens"])]
    refio.write(target, {f"out/{k}": out.numpy() for k, out in enumerate(outputs)}, {"generator": "check_models.py"})


if __name__ == "__main__":
    torch.set_num_threads(1)
    main(*sys.argv[1:])
