using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// A single-layer, one-direction LSTM or GRU over a whole batch-first sequence, with the same equations,
/// weights and gate order as <c>torch.nn.LSTM</c> / <c>torch.nn.GRU</c>, as a C# autograd function whose
/// backward (backpropagation through time) is written out.
/// </summary>
/// <remarks>
/// <para>Why not autograd through the steps: its backward forms the recurrent weight's gradient as one
/// outer product per step added into a running (G·H, H) total, all traffic over that matrix; here the steps
/// run without autograd, the per-step derivative factors are computed for all steps at once, and the weight
/// gradients are single matrix products over all steps. Each step of the loops is a handful of TorchSharp
/// ops; the per-step views come from one <c>unbind</c> per sequence tensor.</para>
/// <para>LSTM gates are [i f g o]: c' = f c + i g, h' = o tanh(c'). GRU gates are [r z n]: r, z = σ(x W_ih + b_ih
/// + h W_hh + b_hh) over their parts, n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn)), h' = n + z (h − n).</para>
/// </remarks>
internal static class RecurrentSequence
{
    private static readonly Scalar One = 1.0, MinusOne = -1.0;

    /// <summary>
    /// The states of every step, (B, T, H), of <paramref name="x"/> (B, T, C) from the initial state
    /// <paramref name="h0"/> (B, H) (and for an LSTM the cell <paramref name="c0"/>), with
    /// <paramref name="weights"/> = weight_ih, weight_hh, bias_ih, bias_hh in torch.nn's layout.
    /// </summary>
    public static Tensor Run(RecurrentCell cell, Tensor x, Tensor h0, Tensor? c0, IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != 4) throw new ArgumentException($"a recurrent sequence takes 4 weights (weight_ih, weight_hh, bias_ih, bias_hh), not {weights.Count}", nameof(weights));
        if (cell == RecurrentCell.Lstm && c0 is null) throw new ArgumentNullException(nameof(c0), "an LSTM needs an initial cell state");
        Check(cell, x, h0, weights);
        Tensor wIh = weights[0], wHh = weights[1], bIh = weights[2], bHh = weights[3];
        bool record = is_grad_enabled() && (x.requires_grad || h0.requires_grad || (c0?.requires_grad ?? false) ||
            wIh.requires_grad || wHh.requires_grad || bIh.requires_grad || bHh.requires_grad);
        if (cell == RecurrentCell.Lstm)
            return record ? LstmFunction.apply(x, h0, c0!, wIh, wHh, bIh, bHh) : LstmForward(x, h0, c0!, wIh, wHh, bIh, bHh, null);
        return record ? GruFunction.apply(x, h0, wIh, wHh, bIh, bHh) : GruForward(x, h0, wIh, wHh, bIh, bHh, null);
    }

    private static void Check(RecurrentCell cell, Tensor x, Tensor h0, IReadOnlyList<Tensor> w)
    {
        long gates = cell == RecurrentCell.Lstm ? 4 : 3;
        if (x.dim() != 3 || x.shape[1] < 1)
            throw new ArgumentException($"a recurrent sequence takes x as (B, T, C) with T ≥ 1, got [{string.Join(", ", x.shape)}]", nameof(x));
        long h = w[1].dim() == 2 ? w[1].shape[1] : -1;
        bool ok = h > 0 && w[1].shape[0] == gates * h && w[0].dim() == 2 && w[0].shape[0] == gates * h && w[0].shape[1] == x.shape[2]
            && w[2].dim() == 1 && w[2].shape[0] == gates * h && w[3].dim() == 1 && w[3].shape[0] == gates * h;
        if (!ok)
            throw new ArgumentException($"{cell} weights for input width {x.shape[2]} must be weight_ih ({gates}·H, {x.shape[2]}), weight_hh ({gates}·H, H) and biases ({gates}·H), " +
                $"got [{string.Join("], [", new[] { w[0], w[1], w[2], w[3] }.Select(t => string.Join(", ", t.shape)))}]", nameof(w));
        if (h0.dim() != 2 || h0.shape[0] != x.shape[0] || h0.shape[1] != h)
            throw new ArgumentException($"the initial state must be (B, H) = ({x.shape[0]}, {h}), got [{string.Join(", ", h0.shape)}]", nameof(h0));
    }

    /// <summary>
    /// LSTM steps without autograd. Returns the states (B, T, H); with <paramref name="saved"/>, also what the
    /// backward needs: the activated gates [σ(i) σ(f) · σ(o)] (T, B, 4H), g (T, B, H), cells and states (T, B, H).
    /// </summary>
    private static Tensor LstmForward(Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, List<Tensor>? saved)
    {
        using var scope = NewDisposeScope();
        long t = x.shape[1];
        // The input's share of every step's gates in one product, time-major so each step is contiguous.
        var gates = nn.functional.linear(x.transpose(0, 1), wIh, bIh.add(bHh));                 // (T, B, 4H)
        var perStep = gates.unbind(0);
        var wHhT = wHh.t();
        var cells = new Tensor[t];
        var states = new Tensor[t];
        var g = new Tensor[t];
        Tensor state = h0, cell = c0;
        for (int s = 0; s < t; s++)
        {
            var a = perStep[s].addmm_(state, wHhT);
            var parts = a.chunk(4, 1);
            g[s] = parts[2].tanh();
            a.sigmoid_();                                                                       // i, f, o (the g slot is unused)
            cell = cells[s] = parts[0].mul(g[s]).addcmul_(parts[1], cell, One);
            state = states[s] = cell.tanh().mul_(parts[3]);
        }
        var all = stack(states, 0);                                                             // (T, B, H)
        if (saved is not null)
            foreach (var tensor in new[] { gates, stack(g, 0), stack(cells, 0), all }) saved.Add(tensor.MoveToOuterDisposeScope());
        return all.transpose(0, 1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// GRU steps without autograd. Returns the states (B, T, H); with <paramref name="saved"/>, also r, z, n,
    /// the hidden part of n (h W_hn + b_hn) and the states, each (T, B, H).
    /// </summary>
    private static Tensor GruForward(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, List<Tensor>? saved)
    {
        using var scope = NewDisposeScope();
        long t = x.shape[1];
        var inputGates = nn.functional.linear(x.transpose(0, 1), wIh, bIh).chunk(3, 2);         // (T, B, H) each
        var xr = inputGates[0].unbind(0);
        var xz = inputGates[1].unbind(0);
        var xn = inputGates[2].unbind(0);
        var wHhT = wHh.t();
        var (r, z, n, hiddenN, states) = (new Tensor[t], new Tensor[t], new Tensor[t], new Tensor[t], new Tensor[t]);
        Tensor state = h0;
        for (int s = 0; s < t; s++)
        {
            var hidden = addmm(bHh, state, wHhT, 1, 1).chunk(3, 1);
            r[s] = xr[s].add(hidden[0]).sigmoid_();
            z[s] = xz[s].add(hidden[1]).sigmoid_();
            hiddenN[s] = hidden[2];
            n[s] = xn[s].addcmul(r[s], hidden[2], One).tanh_();
            state = states[s] = n[s].addcmul(z[s], state.sub(n[s]), One);
        }
        var all = stack(states, 0);
        if (saved is not null)
            foreach (var tensor in new[] { stack(r, 0), stack(z, 0), stack(n, 0), stack(hiddenN, 0), all }) saved.Add(tensor.MoveToOuterDisposeScope());
        return all.transpose(0, 1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>(T, B, H) states of steps −1 … T − 2: the initial state followed by all but the last.</summary>
    private static Tensor Previous(Tensor initial, Tensor states) =>
        cat([initial.unsqueeze(0), states.narrow(0, 0, states.shape[0] - 1)], 0);

    /// <summary>
    /// The input and weight gradients from the gate gradients of every step, (T, B, G): those of the input's
    /// share (<paramref name="inputGates"/>) and of the recurrent share (<paramref name="hiddenGates"/>).
    /// </summary>
    private static (Tensor X, Tensor WIh, Tensor WHh, Tensor BIh, Tensor BHh) FromGates(Tensor x, Tensor wIh, Tensor inputGates, Tensor hiddenGates, Tensor previous)
    {
        long t = x.shape[1], b = x.shape[0], c = x.shape[2];
        var gi = inputGates.reshape(t * b, inputGates.shape[2]);
        var gh = hiddenGates.reshape(t * b, hiddenGates.shape[2]);
        return (
            gi.mm(wIh).view(t, b, c).transpose(0, 1),
            gi.t().mm(x.transpose(0, 1).reshape(t * b, c)),
            gh.t().mm(previous.reshape(t * b, previous.shape[2])),
            gi.sum(dim: 0),
            gh.sum(dim: 0));
    }

    private sealed class LstmFunction : autograd.SingleTensorFunction<LstmFunction>
    {
        public override string Name => "LstmSequence";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            Tensor x = (Tensor)vars[0], h0 = (Tensor)vars[1], c0 = (Tensor)vars[2], wIh = (Tensor)vars[3], wHh = (Tensor)vars[4];
            var saved = new List<Tensor>();
            var output = LstmForward(x, h0, c0, wIh, wHh, (Tensor)vars[5], (Tensor)vars[6], saved);
            ctx.save_for_backward([x, h0, c0, wIh, wHh, .. saved]);
            return output;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var v = ctx.get_saved_variables();
            Tensor x = v[0], h0 = v[1], c0 = v[2], wIh = v[3], wHh = v[4], gates = v[5], g = v[6], cells = v[7], states = v[8];
            long t = gates.shape[0], b = gates.shape[1], h = wHh.shape[1];
            var parts = gates.chunk(4, 2);
            Tensor i = parts[0], f = parts[1], o = parts[3];
            var tanhC = cells.tanh();
            // Per step: ∂c = ∂c' + ∂h·K; ∂gates[i f g] = ∂c·M[i f g]; ∂gates[o] = ∂h·M[o]; ∂c_prev = ∂c·f;
            // ∂h_prev = ∂gates · W_hh. K and M hold the derivative factors of every step, computed at once.
            var k = o * (1 - tanhC * tanhC);
            var m = stack([g * i * (1 - i), Previous(c0, cells) * f * (1 - f), i * (1 - g * g), tanhC * o * (1 - o)], 2);   // (T, B, 4, H)
            var grad = gradOutput.transpose(0, 1).unbind(0);
            var kSteps = k.unbind(0);
            var mSteps = m.unbind(0);
            var fSteps = f.unbind(0);
            var gateGrads = new Tensor[t];
            Tensor dh = zeros([b, h], gates.dtype, gates.device), dc = zeros([b, h], gates.dtype, gates.device);
            for (long s = t - 1; s >= 0; s--)
            {
                dh = grad[s].add(dh);
                var dct = dc.addcmul(dh, kSteps[s], One);
                var d = gateGrads[s] = mSteps[s].mul(stack([dct, dct, dct, dh], 1)).view(b, 4 * h);
                dc = dct.mul(fSteps[s]);
                dh = d.mm(wHh);
            }
            var all = stack(gateGrads, 0);
            var grads = FromGates(x, wIh, all, all, Previous(h0, states));
            return [grads.X, dh, dc, grads.WIh, grads.WHh, grads.BIh, grads.BHh];
        }
    }

    private sealed class GruFunction : autograd.SingleTensorFunction<GruFunction>
    {
        public override string Name => "GruSequence";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            Tensor x = (Tensor)vars[0], h0 = (Tensor)vars[1], wIh = (Tensor)vars[2], wHh = (Tensor)vars[3];
            var saved = new List<Tensor>();
            var output = GruForward(x, h0, wIh, wHh, (Tensor)vars[4], (Tensor)vars[5], saved);
            ctx.save_for_backward([x, h0, wIh, wHh, .. saved]);
            return output;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var v = ctx.get_saved_variables();
            Tensor x = v[0], h0 = v[1], wIh = v[2], wHh = v[3], r = v[4], z = v[5], n = v[6], hiddenN = v[7], states = v[8];
            long t = r.shape[0], b = r.shape[1], h = wHh.shape[1];
            var before = Previous(h0, states);
            // Per step, with ∂h the state's gradient: ∂n_pre = ∂h·A; ∂z_pre = ∂h·Z; ∂r_pre = ∂n_pre·R; the hidden
            // part of n gets ∂n_pre·r; ∂h_prev = ∂h·z + ∂hidden_gates · W_hh.
            var factorN = ((1 - z) * (1 - n * n)).unbind(0);
            var factorZ = ((before - n) * z * (1 - z)).unbind(0);
            var factorR = (hiddenN * r * (1 - r)).unbind(0);
            var rSteps = r.unbind(0);
            var zSteps = z.unbind(0);
            var grad = gradOutput.transpose(0, 1).unbind(0);
            var (inputGrads, hiddenGrads) = (new Tensor[t], new Tensor[t]);
            Tensor dh = zeros([b, h], r.dtype, r.device);
            for (long s = t - 1; s >= 0; s--)
            {
                dh = grad[s].add(dh);
                var dn = dh.mul(factorN[s]);
                var dr = dn.mul(factorR[s]);
                var dz = dh.mul(factorZ[s]);
                inputGrads[s] = cat([dr, dz, dn], 1);
                var dHidden = hiddenGrads[s] = cat([dr, dz, dn.mul(rSteps[s])], 1);
                dh = addmm(dh.mul(zSteps[s]), dHidden, wHh, 1, 1);
            }
            var grads = FromGates(x, wIh, stack(inputGrads, 0), stack(hiddenGrads, 0), before);
            return [grads.X, dh, grads.WIh, grads.WHh, grads.BIh, grads.BHh];
        }
    }
}
