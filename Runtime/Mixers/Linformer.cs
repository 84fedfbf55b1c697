using System;
using Composer.Layers;
using TorchSharp;
using TorchSharp.Utils;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Linformer attention (MIXERS.md §8, Wang et al. 2020): keys and values are projected along the
/// sequence to k positions, so attention costs O(T·k) instead of O(T²). Per head,
/// <c>softmax((X W_q)(E X W_k)ᵀ / √D) (F X W_v)</c> with <c>E = compress_k[:, :T]</c> and
/// <c>F = compress_v[:, :T]</c>, both (k, L_max) and shared by the heads (fairseq's headwise sharing).
/// </summary>
/// <remarks>
/// Padded timesteps are zeroed before the sequence projection (MIXERS.md §12 N6), so a padded batch gives
/// the same outputs at its real positions as the unpadded sequences; the output at padded positions is
/// zero. Encoder only: every projected key mixes all T positions, future ones included, so there is no
/// causal mode and no decoding state. Parameters: <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>,
/// <c>out_proj</c> (C → C), <c>compress_k</c>, <c>compress_v</c> (k, L_max).
/// </remarks>
[MixerFacts(CausalCapable = false, AlignmentFree = false, Needs = MixerNeeds.Heads | MixerNeeds.MaxLength, Cost = CostClass.Linear)]
public sealed class Linformer : nn.Module<Tensor, Tensor?, Tensor>, IMixer
{
    private static readonly MixerFacts StaticFacts = new("Linformer attention", CausalCapable: false, AlignmentFree: false,
        MixerNeeds.Heads | MixerNeeds.MaxLength, CostClass.Linear);

    private readonly int _width, _heads, _headWidth, _maxLength;
    private readonly Dropout _dropout;
    private readonly Linear _qProj, _kProj, _vProj, _outProj;
    [ComponentName(Name = "compress_k")] private Parameter _compressK;
    [ComponentName(Name = "compress_v")] private Parameter _compressV;

    /// <summary>k, the projected length.</summary>
    public int ProjectedLength { get; }

    /// <summary>Query projection, C → C.</summary>
    public Linear QProj => _qProj;
    /// <summary>Key projection (of the compressed sequence), C → C.</summary>
    public Linear KProj => _kProj;
    /// <summary>Value projection (of the compressed sequence), C → C.</summary>
    public Linear VProj => _vProj;
    /// <summary>Output projection, C → C.</summary>
    public Linear OutProj => _outProj;
    /// <summary>E, (k, L_max): compresses the sequence for the keys.</summary>
    public Parameter CompressK => _compressK;
    /// <summary>F, (k, L_max): compresses the sequence for the values.</summary>
    public Parameter CompressV => _compressV;

    /// <summary>Creates the mixer; E and F start as <c>torch.nn.Linear(L_max, k)</c> weights do, U(−1/√L_max, 1/√L_max).</summary>
    /// <exception cref="ArgumentException">
    /// The context is causal (Linformer is encoder-only), the heads do not divide the width, no MaxLength
    /// was declared, or the projected length is not in 1..MaxLength.
    /// </exception>
    public Linformer(MixerContext context, LinformerOptions options) : base(nameof(Linformer))
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.Causal)
            throw new ArgumentException("Linformer cannot be causal: its sequence projection mixes future positions into every key and value. Use it in an encoder, or pick a causal-capable mixer for the decoder", nameof(context));
        _width = context.Width;
        _heads = context.Heads;
        _headWidth = PositionMixing.HeadWidth(context, nameof(Linformer));
        _maxLength = PositionMixing.MaxLength(context, nameof(Linformer));
        ProjectedLength = options.ProjectedLength == 0 ? Math.Max(1, _maxLength / 4) : options.ProjectedLength;
        if (ProjectedLength < 1 || ProjectedLength > _maxLength)
            throw new ArgumentException($"Linformer projects the sequence down to ProjectedLength = {options.ProjectedLength} positions, which must be between 1 and MaxLength = {_maxLength} (0 picks MaxLength / 4)", nameof(options));
        var module = context.Module;
        register_module("q_proj", _qProj = new Linear(module, _width, _width));
        register_module("k_proj", _kProj = new Linear(module, _width, _width));
        register_module("v_proj", _vProj = new Linear(module, _width, _width));
        register_module("out_proj", _outProj = new Linear(module, _width, _width));
        double bound = 1.0 / Math.Sqrt(_maxLength);
        _compressK = this.RegisterParameter("compress_k", Initialise.Uniform(module, [ProjectedLength, _maxLength], bound));
        _compressV = this.RegisterParameter("compress_v", Initialise.Uniform(module, [ProjectedLength, _maxLength], bound));
        register_module("dropout", _dropout = new Dropout(context.AttentionDropout));
    }

    /// <inheritdoc />
    public MixerFacts Facts => StaticFacts;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not (B, T, C), or T exceeds MaxLength.</exception>
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        var (batch, length) = PositionMixing.CheckInput(x, _width, _maxLength, nameof(Linformer));
        x = PositionMixing.ZeroPadded(x, padding);
        long k = ProjectedLength;
        // The sequence projection happens before W_k and W_v (as in fairseq): (k, T) · (B, T, C) → (B, k, C).
        // At T = L_max the whole projection, not a narrow whose backward would scatter its gradient into zeros.
        var compressK = length == _maxLength ? _compressK : _compressK.narrow(1, 0, length);
        var compressV = length == _maxLength ? _compressV : _compressV.narrow(1, 0, length);
        var keys = _kProj.forward(compressK.matmul(x)).view(batch, k, _heads, _headWidth).transpose(1, 2);
        var values = _vProj.forward(compressV.matmul(x)).view(batch, k, _heads, _headWidth).transpose(1, 2);
        var queries = _qProj.forward(x).view(batch, length, _heads, _headWidth).transpose(1, 2);
        // softmax(Q Kᵀ/√D) V over the k projected positions, with dropout on the weights while training: libtorch's
        // fused attention, one op whose kernel never stores the (B, H, T, k) weights.
        var mixed = nn.functional.scaled_dot_product_attention(queries, keys, values, p: training ? _dropout.P : 0.0);   // (B, H, T, D)
        var output = _outProj.forward(mixed.transpose(1, 2).reshape(batch, length, _width));
        return PositionMixing.ZeroPadded(output, padding);
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }

}
