"""PyTorch side of bench/run op-overhead: answers `add N ITERATIONS` with microseconds per `a + b` (torch threads 1)."""
import sys
import time

import torch

torch.set_num_threads(1)
tensors = {1: (torch.rand(1), torch.rand(1)), 64: (torch.rand(64, 64), torch.rand(64, 64))}
print("ready", flush=True)
for line in sys.stdin:
    parts = line.split()
    if not parts or parts[0] == "quit":
        break
    n, iterations = int(parts[1]), int(parts[2])
    a, b = tensors[n]
    start = time.perf_counter()
    for _ in range(iterations):
        c = a + b
        del c
    print((time.perf_counter() - start) / iterations * 1e6, flush=True)
