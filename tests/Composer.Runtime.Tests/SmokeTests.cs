using Composer.Tensors;
using Xunit;

namespace Composer.Tests;

public class SmokeTests
{
    [Fact]
    public void AddsTwoTensors()
    {
        using var scope = new TensorScope();
        var a = Torch.From<float>([1, 2, 3]);
        var b = Torch.From<float>([10, 20, 30]);
        Assert.Equal(new float[] { 11, 22, 33 }, (a + b).ToArray<float>());
    }
}
