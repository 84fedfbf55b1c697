"""PyTorch side of bench/run mixers: times forward + backward of the repo's PyTorch reference mixers
(tests/reference/composer_reference), one mixer at a time, on the same libtorch build as Composer.

    python3 mixers.py REFERENCE_DIR THREADS
    setup ID {"expression": "...", "C": 256, "H": 8, "K": 31, "T": 512, "causal": true}  -> ok | error <why>
    run ID                                                                            -> seconds of one forward + backward
    drop ID                                                                           -> ok
    quit
The expression builds the module, kept under ID with its input; it may use C, H, K, T, causal and the reference modules by their
file names (attention, convolution, linear, position, recurrent, ...), imported on first use.
"""
import importlib
import json
import sys
import time

import torch

sys.path.insert(0, sys.argv[1])
torch.set_num_threads(int(sys.argv[2]))
torch.manual_seed(0)


class Names(dict):
    """The expression's names: the setup's numbers, else a composer_reference module of that name."""

    def __missing__(self, name):
        return importlib.import_module(f"composer_reference.{name}")


configurations = {}
print("ready", flush=True)
for line in sys.stdin:
    command, _, argument = line.strip().partition(" ")
    if command == "quit" or not command:
        break
    if command == "setup":
        key, _, spec = argument.partition(" ")
        spec = json.loads(spec)
        try:
            module = eval(spec["expression"], {}, Names(spec))
            configurations[key] = (module, torch.randn(1, spec["T"], spec["C"], requires_grad=True))
            print("ok", flush=True)
        except Exception as error:  # the reference of a mixer that has not landed, a changed signature, ...
            print("error", type(error).__name__, str(error).replace("\n", " "), flush=True)
    elif command == "run":
        module, x = configurations[argument]
        start = time.perf_counter()
        module(x).sum().backward()
        seconds = time.perf_counter() - start
        # Fresh gradients each run, as on the Composer side, and no T^2 gradients held between runs.
        for p in module.parameters():
            p.grad = None
        x.grad = None
        print(seconds, flush=True)
    elif command == "drop":
        del configurations[argument]
        print("ok", flush=True)
