"""Builds reference files of PyTorch results that Composer's tests compare against.

    from refcases import CaseFile
    f = CaseFile("layers")
    with f.case("narrow") as c:
        x = c.input("x", torch.randn(3, 4))
        c.output(x.narrow(1, 1, 2))
    f.save()

Each case stores its inputs, its outputs, a random upstream gradient per floating output, and the
gradient of L = sum_k sum(out_k * upstream_k) with respect to every floating input. Keys:
"{case}/in/{name}", "{case}/out/{k}", "{case}/upstream/{k}", "{case}/grad/{name}".
A case may also register a module (c.module(m)): its parameters and buffers are stored under
"{case}/param/{dotted.name}" (the names Composer's modules use) and the gradients of its parameters
under "{case}/pgrad/{dotted.name}", so the C# side loads the same weights and compares gradients.
Everything is seeded, so regenerating a file reproduces it exactly.
"""
import os

import torch

import refio

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

_TO_NUMPY_EXACT = {torch.bfloat16}


def to_array(t):
    t = t.detach().cpu().contiguous()
    if t.dtype == torch.bfloat16:
        return ("BF16", t.view(torch.int16).numpy().view("uint16"))
    return t.numpy()


class Case:
    def __init__(self, name):
        self.name = name
        self.inputs = {}
        self.outputs = []
        self.modules = []

    def input(self, name, tensor, grad=None):
        """Registers an input; floating inputs require grad unless grad=False."""
        if grad is None:
            grad = tensor.is_floating_point()
        tensor = tensor.detach().clone()
        if grad:
            tensor.requires_grad_(True)
        self.inputs[name] = tensor
        return tensor

    def module(self, module):
        """Registers a module whose weights and parameter gradients the C# side checks too."""
        self.modules.append(module)
        return module

    def output(self, *tensors):
        self.outputs.extend(tensors)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        return False

    def arrays(self, generator):
        out = {}
        for name, t in self.inputs.items():
            out[f"{self.name}/in/{name}"] = to_array(t)
        params = {}
        for m in self.modules:
            for name, t in list(m.named_parameters()) + list(m.named_buffers()):
                out[f"{self.name}/param/{name}"] = to_array(t)
                if t.requires_grad:
                    params[name] = t
        loss = None
        for k, t in enumerate(self.outputs):
            out[f"{self.name}/out/{k}"] = to_array(t)
            if t.is_floating_point() and t.requires_grad:
                upstream = torch.randn(t.shape, generator=generator, dtype=t.dtype)
                out[f"{self.name}/upstream/{k}"] = to_array(upstream)
                term = (t * upstream).sum()
                loss = term if loss is None else loss + term
        if loss is not None:
            named = [(f"grad/{n}", t) for n, t in self.inputs.items() if t.requires_grad]
            named += [(f"pgrad/{n}", t) for n, t in params.items()]
            grads = torch.autograd.grad(loss, [t for _, t in named], allow_unused=True)
            for (key, t), g in zip(named, grads):
                out[f"{self.name}/{key}"] = to_array(g if g is not None else torch.zeros_like(t))
        return out


class CaseFile:
    def __init__(self, name, seed=20261121):
        self.name = name
        self.cases = []
        torch.manual_seed(seed)
        self.generator = torch.Generator().manual_seed(seed + 1)

    def case(self, name):
        if any(c.name == name for c in self.cases):
            raise ValueError(f"duplicate case name {name}")
        c = Case(name)
        self.cases.append(c)
        return c

    def save(self):
        arrays = {}
        for c in self.cases:
            arrays.update(c.arrays(self.generator))
        os.makedirs(DATA, exist_ok=True)
        path = os.path.join(DATA, self.name + ".safetensors")
        refio.write(path, arrays, {"generator": "tests/reference/" + self.name + ".py", "torch": torch.__version__})
        print(f"wrote {path}: {len(self.cases)} cases, {len(arrays)} tensors")
