"""Recurrent mixers (LSTM, GRU), the classical baseline of MIXERS.md §11a.

One layer of torch.nn.LSTM / torch.nn.GRU with batch_first inputs. Its parameters are registered on
the mixer itself under torch.nn's names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, and the
same with _reverse for the right-to-left direction), so a torch.nn.LSTM/GRU state dict and Composer's
RecurrentMixer exchange weights by name.

Unidirectional: hidden = C. Bidirectional (encoders only): C / 2 per direction, outputs concatenated.

Padding is defined by what the mixer must not do: a padded sequence gives, at its real positions,
exactly what the sequence without its padded positions gives, and zero at padded positions. The
reference says so literally: it runs the recurrence on each sequence's real tokens alone.
"""
import torch
import torch.nn as nn


class RecurrentState:
    """Decoding state: h (B, hidden) and, for an LSTM, c (B, hidden), batch-major."""

    def __init__(self, h, c):
        self.h, self.c = h, c

    def reorder(self, indices):
        self.h = self.h.index_select(0, indices)
        if self.c is not None:
            self.c = self.c.index_select(0, indices)


class RecurrentMixer(nn.Module):
    def __init__(self, width, cell="lstm", bidirectional=False, causal=False):
        super().__init__()
        assert cell in ("lstm", "gru")
        if bidirectional and causal:
            raise ValueError("a bidirectional recurrence reads the future; it cannot be causal")
        assert not bidirectional or width % 2 == 0
        self.width, self.cell, self.bidirectional, self.causal = width, cell, bidirectional, causal
        self.hidden = width // 2 if bidirectional else width
        kind = nn.LSTM if cell == "lstm" else nn.GRU
        rnn = kind(width, self.hidden, num_layers=1, batch_first=True, bidirectional=bidirectional)
        # The parameters live on the mixer under nn.LSTM's own names; the nn.LSTM that uses them is
        # kept out of the module tree so its names carry no "rnn." prefix.
        for name, parameter in rnn.named_parameters():
            self.register_parameter(name, parameter)
        self._rnn = (rnn,)

    @property
    def rnn(self):
        return self._rnn[0]

    def forward(self, x, padding=None):
        if padding is None:
            return self.rnn(x)[0]
        out = torch.zeros(x.shape[0], x.shape[1], self.width, dtype=x.dtype)
        for b in range(x.shape[0]):
            real = (~padding[b]).nonzero().squeeze(1)
            if real.numel() == 0:
                continue
            y = self.rnn(x[b : b + 1, real])[0]
            out = out.index_put((torch.full_like(real, b), real), y[0])
        return out

    def new_state(self, batch):
        h = torch.zeros(batch, self.hidden)
        return RecurrentState(h, torch.zeros(batch, self.hidden) if self.cell == "lstm" else None)

    def step(self, x, state):
        assert not self.bidirectional
        if self.cell == "lstm":
            y, (h, c) = self.rnn(x, (state.h.unsqueeze(0), state.c.unsqueeze(0)))
            state.h, state.c = h[0], c[0]
        else:
            y, h = self.rnn(x, state.h.unsqueeze(0))
            state.h = h[0]
        return y
