using System;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

namespace Composer.Tests.Ops;

/// <summary>Element-wise ops, comparisons, activations and factories against tests/reference/ops_elementwise.py.</summary>
public class ElementwiseOpsTests
{
    private const string File = "ops_elementwise";

    [Theory]
    [InlineData("add")]
    [InlineData("sub")]
    [InlineData("mul")]
    [InlineData("div")]
    [InlineData("maximum")]
    [InlineData("minimum")]
    public void BinaryOpsBroadcast(string op) => Reference.Check(File, op, c =>
    {
        Tensor a = c.Input("a"), b = c.Input("b");
        return op switch
        {
            "add" => a + b,
            "sub" => a - b,
            "mul" => a * b,
            "div" => a / b,
            "maximum" => a.Maximum(b),
            "minimum" => a.Minimum(b),
            _ => throw new ArgumentException(op),
        };
    });

    [Fact] public void AddWithAlpha() => Reference.Check(File, "add_alpha", c => c.Input("a").Add(c.Input("b"), 2.5));
    [Fact] public void SubWithAlpha() => Reference.Check(File, "sub_alpha", c => c.Input("a").Sub(c.Input("b"), 0.5));
    [Fact] public void PowTensor() => Reference.Check(File, "pow_tensor", c => c.Input("a").Pow(c.Input("b")));
    [Fact] public void Remainder() => Reference.Check(File, "remainder", c => [c.Input("a").Remainder(3.0), c.Input("i").Remainder(3)]);
    [Fact] public void Negation() => Reference.Check(File, "neg", c => -c.Input("a"));

    [Fact]
    public void FloatingScalarOperands() => Reference.Check(File, "scalar_ops", c =>
    {
        var a = c.Input("a");
        return [a + 2.0, a - 1.5, 3.0 - a, a * -2.0, a / 4.0, 2.0 / a, a.Pow(3.0)];
    });

    [Fact]
    public void IntegralScalarsKeepIntegerTensorsIntegral() => Reference.Check(File, "int_scalar_ops", c =>
    {
        var a = c.Input("a");
        return [a + 2, a * 3, a - 1, a + 0.5];
    });

    [Theory]
    [InlineData("abs")]
    [InlineData("exp")]
    [InlineData("log")]
    [InlineData("sqrt")]
    [InlineData("rsqrt")]
    [InlineData("sin")]
    [InlineData("cos")]
    [InlineData("reciprocal")]
    [InlineData("relu")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("silu")]
    [InlineData("gelu")]
    [InlineData("gelu_tanh")]
    [InlineData("elu")]
    [InlineData("elu_alpha")]
    [InlineData("glu_last")]
    [InlineData("glu_first")]
    [InlineData("sign")]
    public void UnaryOps(string op) => Reference.Check(File, op, c =>
    {
        var a = c.Input("a");
        return op switch
        {
            "abs" => a.Abs(),
            "exp" => a.Exp(),
            "log" => a.Log(),
            "sqrt" => a.Sqrt(),
            "rsqrt" => a.Rsqrt(),
            "sin" => a.Sin(),
            "cos" => a.Cos(),
            "reciprocal" => a.Reciprocal(),
            "relu" => a.Relu(),
            "sigmoid" => a.Sigmoid(),
            "tanh" => a.Tanh(),
            "silu" => a.Silu(),
            "gelu" => a.Gelu(),
            "gelu_tanh" => a.Gelu(tanhApproximation: true),
            "elu" => a.Elu(),
            "elu_alpha" => a.Elu(0.7),
            "glu_last" => a.Glu(-1),
            "glu_first" => a.Glu(0),
            "sign" => a.Sign(),
            _ => throw new ArgumentException(op),
        };
    });

    [Fact]
    public void Clamp() => Reference.Check(File, "clamp", c =>
    {
        var a = c.Input("a");
        return [a.Clamp(-0.5, 0.7), a.Clamp(min: 0.1), a.Clamp(max: -0.2)];
    });

    [Fact]
    public void MaskedFill() => Reference.Check(File, "masked_fill", c =>
    {
        var a = c.Input("a");
        return [a.MaskedFill(c.Input("mask"), -1e4), a.MaskedFill(c.Input("row_mask"), 0.0)];
    });

    [Fact] public void Where() => Reference.Check(File, "where", c => Torch.Where(c.Input("cond"), c.Input("a"), c.Input("b")));

    [Fact]
    public void TriuTril() => Reference.Check(File, "triu_tril", c =>
    {
        var a = c.Input("a");
        return [a.Triu(), a.Triu(1), a.Tril(), a.Tril(-1)];
    });

    [Fact]
    public void Comparisons() => Reference.Check(File, "compare", c =>
    {
        Tensor a = c.Input("a"), b = c.Input("b");
        return [a.Eq(b), a.Ne(b), a.Lt(b), a.Le(b), a.Gt(b), a.Ge(b), a.Gt(0.1), a.Le(-0.3), a.Eq(a)];
    });

    [Fact]
    public void Logic() => Reference.Check(File, "logic", c =>
    {
        Tensor p = c.Input("p"), q = c.Input("q");
        return [p.LogicalAnd(q), p.LogicalOr(q), p.LogicalNot()];
    });

    [Fact] public void NanChecks() => Reference.Check(File, "nan_checks", c => [c.Input("a").IsNan(), c.Input("a").IsFinite()]);

    [Fact]
    public void Factories() => Reference.Check(File, "factories", _ =>
    [
        Torch.Zeros(2, 3), Torch.Ones(4), Torch.Full([2, 2], 3.5), Torch.Full([3], 7, DType.Int64),
        Torch.Arange(5), Torch.Arange(2, 11, 3), Torch.Arange(0.0, 1.0, 0.25, DType.Float32),
        Torch.Zeros(2, 0), Torch.Zeros([], DType.Float64),
    ]);
}

/// <summary>The harness's module path: weights loaded by dotted name, parameter gradients compared.</summary>
public class ModuleReferenceTests
{
    private sealed class Inner : Composer.Layers.Module
    {
        public readonly Tensor Bias;
        public Inner() => Bias = RegisterParameter("bias", Torch.Zeros(4));
    }

    private sealed class Scale : Composer.Layers.Module
    {
        public readonly Tensor Weight;
        public readonly Inner Inner;
        public Scale()
        {
            Weight = RegisterParameter("weight", Torch.Zeros(4));
            Inner = RegisterModule("inner", new Inner());
        }
    }

    [Fact]
    public void LoadsWeightsAndComparesParameterGradients()
    {
        using var module = new Scale();
        Reference.Check("ops_elementwise", "module_scale", module, c => c.Input("x") * module.Weight + module.Inner.Bias);
        Assert.Null(module.Weight.Grad);
    }
}
