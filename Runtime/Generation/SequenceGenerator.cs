using System;
using System.Collections.Generic;
using Composer.Models;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Generation;

/// <summary>
/// Token-by-token generation through a model's incremental <c>Step</c>: greedy or sampled
/// continuation of prompts, and translation for seq2seq models. Every step runs in its own dispose
/// scope; nothing but the decoding state and the last step's logits outlives a step, and nothing at
/// all outlives the call.
/// </summary>
public static class SequenceGenerator
{
    /// <summary>
    /// Continues each prompt by up to <paramref name="maxNewTokens"/> tokens. Prompts are rows of equal
    /// length (at least one token, e.g. a BOS). A sequence that emits <paramref name="stopToken"/>
    /// stops there (the stop token is included). Returns the generated tokens per sequence (prompt excluded).
    /// </summary>
    public static long[][] Continue(ILanguageModel model, long[][] prompts, int maxNewTokens, SamplingOptions sampling, long? stopToken = null)
    {
        CheckPrompts(prompts);
        sampling.Validate();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var decoder = Decoder.For(model, prompts.Length);
        Tensor? last = null;
        for (int t = 0; t < prompts[0].Length; t++)
        {
            var column = new long[prompts.Length];
            for (int b = 0; b < prompts.Length; b++) column[b] = prompts[b][t];
            last = StepOnce(decoder, column, last);
        }
        return Sample(decoder, last!, prompts.Length, maxNewTokens, sampling, stopToken);
    }

    /// <summary>
    /// Translates each source sequence: encodes it, then decodes from <paramref name="bos"/> until
    /// <paramref name="eos"/> or <paramref name="maxLength"/> tokens. Returns the target tokens (BOS excluded, EOS included when reached).
    /// </summary>
    public static long[][] Translate(ISeq2SeqModel model, Tensor source, Tensor? sourcePadding, long bos, long eos, int maxLength, SamplingOptions sampling)
    {
        sampling.Validate();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var memory = model.Encode(source, sourcePadding);
        long batch = source.shape[0];
        using var decoder = Decoder.For(model, memory, sourcePadding);
        var start = new long[batch];
        Array.Fill(start, bos);
        var logits = StepOnce(decoder, start, null);
        return Sample(decoder, logits, (int)batch, maxLength, sampling, eos);
    }

    /// <summary>One decoding step in its own dispose scope: the logits move to the enclosing scope, the previous ones are released.</summary>
    private static Tensor StepOnce(Decoder decoder, long[] tokens, Tensor? previous)
    {
        using var step = NewDisposeScope();
        var logits = decoder.Step(tokens).MoveToOuterDisposeScope();
        previous?.Dispose();
        return logits;
    }

    private static long[][] Sample(Decoder decoder, Tensor logits, int batch, int maxNewTokens, SamplingOptions sampling, long? stopToken)
    {
        var outputs = new List<long>[batch];
        for (int b = 0; b < batch; b++) outputs[b] = new List<long>();
        var finished = new bool[batch];
        var current = logits;
        for (int t = 0; t < maxNewTokens; t++)
        {
            long[] next;
            using (NewDisposeScope()) next = Readback.Array<long>(TokenSampler.Next(current, sampling));
            bool all = true;
            for (int b = 0; b < batch; b++)
            {
                if (finished[b]) { next[b] = stopToken ?? next[b]; continue; }
                outputs[b].Add(next[b]);
                if (stopToken == next[b]) finished[b] = true;
                all &= finished[b];
            }
            if (all || t == maxNewTokens - 1) break;
            current = StepOnce(decoder, next, current);
        }
        current.Dispose();
        var result = new long[batch][];
        for (int b = 0; b < batch; b++) result[b] = outputs[b].ToArray();
        return result;
    }

    internal static void CheckPrompts(long[][] prompts)
    {
        if (prompts.Length == 0) throw new ArgumentException("give at least one prompt", nameof(prompts));
        int length = prompts[0].Length;
        if (length == 0) throw new ArgumentException("a prompt needs at least one token (start with a BOS token if there is no text)", nameof(prompts));
        foreach (var p in prompts)
            if (p.Length != length) throw new ArgumentException($"all prompts must have the same length (got {length} and {p.Length}); generate them separately or pad on the left", nameof(prompts));
    }
}
