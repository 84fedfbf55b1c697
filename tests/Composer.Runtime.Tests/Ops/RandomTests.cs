using Composer.Native;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;
using F = Composer.Tensors.Functional;

namespace Composer.Tests.Ops;

/// <summary>Seeding and saving/restoring the default generators (Torch.Random.cs).</summary>
public class RandomTests
{
    private const string File = "ops_nn";

    // Must match DRAW_SEED in ops_nn.py.
    private const long DrawSeed = 42;

    [Fact]
    public void ManualSeedDrawsWhatPyTorchDraws() => Reference.Check(File, "manual_seed_draws", c =>
    {
        Torch.ManualSeed(DrawSeed);
        return new[]
        {
            Torch.Randn(3, 5), Torch.Rand(4), Torch.Randint(0, 10, [6]), Torch.Randn([100], DType.Float64), Torch.Randn(2, 20),
        };
    });

    [Fact]
    public void NegativeSeedWrapsLikePyTorch() => Reference.Check(File, "manual_seed_negative", c =>
    {
        Torch.ManualSeed(-7);
        return Torch.Randn(5);
    });

    [Fact]
    public void CpuStateRoundTrip() => AssertStateRestoresDraws(Device.Cpu);

    [CudaFact]
    public void CudaStateRoundTrip() => AssertStateRestoresDraws(Device.Cuda(0));

    [CudaFact]
    public void CudaManualSeedRepeatsDraws()
    {
        using var scope = new TensorScope();
        var cuda = Device.Cuda(0);
        Torch.ManualSeed(5);
        var first = Torch.Randn([1000], DType.Float32, cuda).ToArray<float>();
        Torch.ManualSeed(5);
        var second = Torch.Randn([1000], DType.Float32, cuda).ToArray<float>();
        Assert.Equal(first, second);
    }

    [Fact]
    public void StateIsACopy()
    {
        using var scope = new TensorScope();
        var state = Torch.GetRngState(Device.Cpu);
        Assert.Equal(DType.UInt8, state.DType);
        Assert.Equal(Device.Cpu, state.Device);
        Assert.Equal(1, state.Dim);
        var before = state.ToArray<byte>();
        _ = Torch.Randn(50);
        Assert.Equal(before, state.ToArray<byte>());
        Assert.NotEqual(before, Torch.GetRngState(Device.Cpu).ToArray<byte>());
    }

    [Fact]
    public void SetRngStateRefusesAForeignTensor()
    {
        using var scope = new TensorScope();
        Assert.Throws<TorchException>(() => Torch.SetRngState(Device.Cpu, Torch.Zeros(16)));
        Assert.Throws<TorchException>(() => Torch.SetRngState(Device.Cpu, Torch.Zeros([3], DType.UInt8)));
    }

    [Fact]
    public void CudaGeneratorWithoutCudaIsAClearError()
    {
        if (Torch.CudaIsAvailable) return; // on a GPU machine this is not an error
        var e = Assert.Throws<TorchException>(() => Torch.GetRngState(Device.Cuda(0)));
        Assert.Contains("cuda:0", e.Message);
    }

    // Captures the state, draws uniform, normal, integer and dropout samples, restores the state and
    // draws again: every sample must repeat exactly, and the live-tensor count must come back.
    private static void AssertStateRestoresDraws(Device device)
    {
        long live = LiveTensors.Settled();
        using (var scope = new TensorScope())
        {
            var state = Torch.GetRngState(device);
            var first = Draw(device);
            Torch.SetRngState(device, state);
            var second = Draw(device);
            for (int i = 0; i < first.Length; i++) Assert.Equal(first[i], second[i]);
        }
        Assert.Equal(live, Torch.LiveTensors);
    }

    private static float[][] Draw(Device device)
    {
        var ones = Torch.Ones([8, 50], DType.Float32, device);
        return
        [
            Torch.Rand([5, 7], DType.Float32, device).ToArray<float>(),
            Torch.Randn([100], DType.Float32, device).ToArray<float>(),
            Torch.Randint(0, 1000, [20], DType.Int64, device).To(DType.Float32).ToArray<float>(),
            F.Dropout(ones, 0.5).ToArray<float>(),
        ];
    }
}
