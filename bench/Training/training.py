"""PyTorch side of bench/run training: the benchmark's language models written in PyTorch eager
(tests/reference/composer_reference/models.py, the same modules the generated-code tests compare
against), trained and decoded the way Composer's trainer and generator do, on Debian's PyTorch 1.13.

    OPENBLAS_NUM_THREADS=N python3 training.py REFERENCE_DIR THREADS
    info        -> the PyTorch version and the torch and OpenBLAS thread counts this worker runs with
    setup ID {"mixer": "attention"|"lightconv", "C": 128, "H": 4, "kernels": [7, ...], "tied": true,
              "T": 128, "B": 8, "dropout": 0.1, "weights": "/tmp/....safetensors"}   -> ok | error <why>
    loss ID     -> evaluation-mode cross-entropy per target on the file's batch (checks both sides compute the same)
    train ID N  -> seconds of N updates (forward, label-smoothed loss, backward, clipping, AdamW)
    decode ID N -> seconds of N greedy incremental steps at B = 1 (one start token, then its own outputs)
    tokens ID N -> the N tokens those steps generate, comma-separated
    drop ID     -> ok
    quit
The weights file holds "param/<dotted.name>" for every parameter of the Composer model and "batch", the
int64 (B, T + 1) tokens both sides train on (inputs are batch[:, :-1], targets batch[:, 1:]).
"""
import ctypes
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, sys.argv[1])
torch.set_num_threads(int(sys.argv[2]))

import refio  # noqa: E402  (tests/reference, on the path above)
from composer_reference import models  # noqa: E402

# Composer's trainer defaults (Runtime/Training/TrainerOptions.cs), used by both sides.
LR, BETAS, EPS, WEIGHT_DECAY, CLIP, SMOOTHING = 1e-3, (0.9, 0.98), 1e-8, 0.01, 1.0, 0.1


class Run:
    def __init__(self, spec):
        c, h = spec["C"], spec["H"]
        if spec["mixer"] == "attention":
            layers = [models.self_attention(c, h)] * len(spec["kernels"])
        else:
            layers = [models.lightweight(c, h, k) for k in spec["kernels"]]
        self.model = models.LanguageModel(256, c, 4 * c, layers, max_length=spec["T"], tied=spec["tied"],
                                          dropout=spec["dropout"])
        arrays, _ = refio.read(spec["weights"])
        state = {k[len("param/"):]: torch.from_numpy(np.array(v)) for k, v in arrays.items() if k.startswith("param/")}
        result = self.model.load_state_dict(state, strict=True)
        assert not result.missing_keys and not result.unexpected_keys, result
        self.batch = torch.from_numpy(np.array(arrays["batch"]))
        # Matrices and embeddings decay, vectors do not: Composer's AdamW rule as two parameter groups.
        params = list(self.model.parameters())
        self.optimizer = torch.optim.AdamW([
            {"params": [p for p in params if p.dim() >= 2], "weight_decay": WEIGHT_DECAY},
            {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
        ], lr=LR, betas=BETAS, eps=EPS)

    def loss(self):
        self.model.eval()
        with torch.no_grad():
            logits = self.model(self.batch[:, :-1])
            return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), self.batch[:, 1:].reshape(-1)).item()

    def train(self, updates):
        self.model.train()
        inputs, targets = self.batch[:, :-1], self.batch[:, 1:].reshape(-1)
        start = time.perf_counter()
        for _ in range(updates):
            logits = self.model(inputs)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets, reduction="sum",
                                   label_smoothing=SMOOTHING)
            (loss / targets.numel()).backward()
            # The trainer reads the loss and the gradient norm every update (logging, divergence check).
            loss.item()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), CLIP).item()
            self.optimizer.step()
            self.optimizer.zero_grad(set_to_none=True)
        return time.perf_counter() - start

    def decode(self, steps):
        """Seconds of `steps` greedy steps from token 0, and the tokens generated."""
        self.model.eval()
        stack = self.model.stack[0]
        tokens = []
        start = time.perf_counter()
        with torch.no_grad():
            state = stack.new_state()
            token = torch.zeros(1, 1, dtype=torch.long)
            for _ in range(steps):
                logits = stack.step(token, state)  # (1, 1, V)
                tokens.append(logits[0, -1].argmax().item())
                token = torch.tensor([[tokens[-1]]])
        return time.perf_counter() - start, tokens


def openblas_threads():
    """OpenBLAS's own thread count (the library PyTorch's matrix products run in), or "unknown"."""
    try:
        return ctypes.CDLL("libopenblas.so.0").openblas_get_num_threads()
    except (OSError, AttributeError):
        return "unknown"


runs = {}
print("ready", flush=True)
for line in sys.stdin:
    command, _, argument = line.strip().partition(" ")
    if command == "quit" or not command:
        break
    try:
        if command == "info":
            print(f"PyTorch {torch.__version__} with {torch.get_num_threads()} torch threads × {openblas_threads()} OpenBLAS threads",
                  flush=True)
        elif command == "setup":
            key, _, spec = argument.partition(" ")
            runs[key] = Run(json.loads(spec))
            print("ok", flush=True)
        elif command == "loss":
            print(runs[argument].loss(), flush=True)
        elif command == "train":
            key, count = argument.split()
            print(runs[key].train(int(count)), flush=True)
        elif command == "decode":
            key, count = argument.split()
            print(runs[key].decode(int(count))[0], flush=True)
        elif command == "tokens":
            key, count = argument.split()
            print(",".join(map(str, runs[key].decode(int(count))[1])), flush=True)
        elif command == "drop":
            del runs[argument]
            print("ok", flush=True)
        else:
            print("error unknown command", command, flush=True)
    except Exception as error:  # reported to the C# side, which stops with the message
        print("error", type(error).__name__, str(error).replace("\n", " "), flush=True)
