"""PyTorch reference for Runtime/Training: AdamW steps, learning-rate schedules, gradient clipping and
the label-smoothed cross-entropy the objectives use.

Besides one ordinary case ("objective_loss", see refcases.py) the file holds plain arrays:
  adamw/init/{name}, adamw/grad/{k}/{name}, adamw/lr (per step), adamw/param/{k}/{name} (after step k),
  adamw/exp_avg/{name}, adamw/exp_avg_sq/{name} (after the last step), adamw/hyper (beta1, beta2, eps, wd);
  schedule/{name}: the learning rate of updates 1..N;
  clip/{case}/grad/{name} (before), clip/{case}/clipped/{name} (after), clip/{case}/norm, clip/{case}/max_norm.
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

import refio
from refcases import DATA, CaseFile

f = CaseFile("training")
extra = {}


def arr(t):
    # A copy: numpy() shares memory, and the optimizer and clipping update these tensors in place.
    return t.detach().cpu().contiguous().numpy().copy()


# ---- AdamW -----------------------------------------------------------------------------------------
# Matrices and embeddings decay, vectors do not (Composer's AdamW rule), expressed as two param groups.
g = torch.Generator().manual_seed(5)
params = {
    "w": torch.randn(4, 3, generator=g),
    "b": torch.randn(3, generator=g),
    "e": torch.randn(5, 3, generator=g),
}
params = {n: p.clone().requires_grad_(True) for n, p in params.items()}
beta1, beta2, eps, wd = 0.9, 0.98, 1e-6, 0.1
opt = torch.optim.AdamW([
    {"params": [params["w"], params["e"]], "weight_decay": wd},
    {"params": [params["b"]], "weight_decay": 0.0},
], lr=1e-3, betas=(beta1, beta2), eps=eps, foreach=False)
lrs = [1e-3, 2e-3, 3e-2, 2.5e-3, 2e-3, 1e-3, 5e-4]
for n, p in params.items():
    extra[f"adamw/init/{n}"] = arr(p)
for k, lr in enumerate(lrs):
    for group in opt.param_groups:
        group["lr"] = lr
    for n, p in params.items():
        p.grad = torch.randn(p.shape, generator=g) * (0.1 if k % 2 else 3.0)
        extra[f"adamw/grad/{k}/{n}"] = arr(p.grad)
    opt.step()
    for n, p in params.items():
        extra[f"adamw/param/{k}/{n}"] = arr(p)
for n, p in params.items():
    extra[f"adamw/exp_avg/{n}"] = arr(opt.state[p]["exp_avg"])
    extra[f"adamw/exp_avg_sq/{n}"] = arr(opt.state[p]["exp_avg_sq"])
extra["adamw/lr"] = np.array(lrs, dtype=np.float64)
extra["adamw/hyper"] = np.array([beta1, beta2, eps, wd], dtype=np.float64)


# ---- schedules: learning rate of updates 1..N ----------------------------------------------------
def run_scheduler(make, n):
    p = torch.zeros(1, requires_grad=True)
    o = torch.optim.SGD([p], lr=1.0)
    s = make(o)
    out = []
    for _ in range(n):
        out.append(o.param_groups[0]["lr"])
        o.step()
        s.step()
    return np.array(out, dtype=np.float64)


class FairseqInverseSqrt:
    """fairseq's inverse_sqrt scheduler (fairseq/optim/lr_scheduler/inverse_square_root_schedule.py), transcribed."""

    def __init__(self, lr, warmup_updates, warmup_init_lr=-1):
        if warmup_init_lr < 0:
            warmup_init_lr = 0 if warmup_updates > 0 else lr
        self.warmup_updates, self.warmup_init_lr = warmup_updates, warmup_init_lr
        self.lr_step = (lr - warmup_init_lr) / warmup_updates
        self.decay_factor = lr * warmup_updates ** 0.5

    def step_update(self, num_updates):
        if num_updates < self.warmup_updates:
            return self.warmup_init_lr + num_updates * self.lr_step
        return self.decay_factor * num_updates ** -0.5


for name, sched in [("inverse_sqrt", FairseqInverseSqrt(5e-4, 10)), ("inverse_sqrt_init", FairseqInverseSqrt(5e-4, 8, 1e-7))]:
    extra[f"schedule/{name}"] = np.array([sched.step_update(s) for s in range(1, 61)], dtype=np.float64)

W, TOTAL, PEAK, FLOOR = 10, 50, 3e-3, 1e-5
extra["schedule/cosine"] = run_scheduler(lambda o: torch.optim.lr_scheduler.SequentialLR(o, [
    torch.optim.lr_scheduler.LinearLR(o, start_factor=1 / W, end_factor=1.0, total_iters=W - 1),
    torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=TOTAL - W, eta_min=FLOOR / PEAK),
], milestones=[W - 1]), TOTAL) * PEAK
extra["schedule/constant"] = run_scheduler(lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=1 / W, end_factor=1.0, total_iters=W - 1), 30) * PEAK

# ---- clip_grad_norm_ -------------------------------------------------------------------------------
for case, max_norm in [("clipped", 0.5), ("unclipped", 1000.0)]:
    ps = {"a": torch.randn(3, 4, generator=g), "b": torch.randn(5, generator=g), "c": torch.randn(2, 2, 2, generator=g)}
    ps = {n: p.requires_grad_(True) for n, p in ps.items()}
    for n, p in ps.items():
        p.grad = torch.randn(p.shape, generator=g)
        extra[f"clip/{case}/grad/{n}"] = arr(p.grad)
    norm = torch.nn.utils.clip_grad_norm_(list(ps.values()), max_norm)
    for n, p in ps.items():
        extra[f"clip/{case}/clipped/{n}"] = arr(p.grad)
    extra[f"clip/{case}/norm"] = arr(norm.reshape(1)).astype(np.float64)
    extra[f"clip/{case}/max_norm"] = np.array([max_norm], dtype=np.float64)

# ---- the objectives' loss: summed label-smoothed cross-entropy over (B, T, V) with ignored targets ----
with f.case("objective_loss") as c:
    logits = c.input("logits", torch.randn(2, 5, 7))
    target = torch.randint(0, 7, (2, 5))
    target[0, 3:] = -100
    target[1, 4] = -100
    target = c.input("target", target)
    c.output(F.cross_entropy(logits.reshape(-1, 7), target.reshape(-1), ignore_index=-100, reduction="sum", label_smoothing=0.1))

arrays = {}
for case in f.cases:
    arrays.update(case.arrays(f.generator))
arrays.update(extra)
path = os.path.join(DATA, "training.safetensors")
refio.write(path, arrays, {"generator": "tests/reference/training_reference.py", "torch": torch.__version__})
print(f"wrote {path}: {len(arrays)} tensors")

# The schedules' closed forms agree with PyTorch's chained schedulers (a check of this script).
cos = [PEAK * s / W if s < W else FLOOR + 0.5 * (1 + math.cos(math.pi * (s - W) / (TOTAL - W))) * (PEAK - FLOOR) for s in range(1, TOTAL + 1)]
assert np.allclose(extra["schedule/cosine"], cos, rtol=1e-12, atol=1e-15), (extra["schedule/cosine"], cos)
