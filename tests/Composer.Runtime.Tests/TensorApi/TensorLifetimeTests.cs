using Composer.Tests.Harness;
using System;
using Composer.Tensors;
using Xunit;

namespace Composer.Tests.TensorApi;

/// <summary>Scopes own what is created inside them; escape and persist hand ownership on; dispose is idempotent.</summary>
public class TensorLifetimeTests
{
    [Fact]
    public void ScopeReleasesEverythingCreatedInside()
    {
        long before = LiveTensors.Settled();
        Tensor inside;
        using (var scope = new TensorScope())
        {
            inside = Torch.Ones(3) * 2.0 + 1.0;
            Assert.True(Torch.LiveTensors >= before + 3);
            Assert.Equal(3, scope.Count);
        }
        Assert.True(inside.IsDisposed);
        Assert.Equal(before, Torch.LiveTensors);
    }

    [Fact]
    public void EscapeMovesATensorToTheEnclosingScope()
    {
        long before = LiveTensors.Settled();
        using (var outer = new TensorScope())
        {
            Tensor kept;
            using (var inner = new TensorScope())
            {
                var temporary = Torch.Ones(2);
                kept = inner.Escape(temporary * 5.0);
            }
            Assert.False(kept.IsDisposed);
            Assert.Equal(new float[] { 5, 5 }, kept.ToArray<float>());
            Assert.Equal(1, outer.Count);
        }
        Assert.Equal(before, Torch.LiveTensors);
    }

    [Fact]
    public void EscapingFromTheOutermostScopeHandsTheTensorToTheCaller()
    {
        long before = LiveTensors.Settled();
        Tensor result;
        using (var scope = new TensorScope()) result = scope.Escape(Torch.Zeros(4));
        Assert.False(result.IsDisposed);
        Assert.Equal(before + 1, Torch.LiveTensors);
        result.Dispose();
        Assert.Equal(before, Torch.LiveTensors);
    }

    [Fact]
    public void EscapingATensorOfAnotherScopeIsRefused()
    {
        using var outer = new TensorScope();
        var t = Torch.Zeros(1);
        using var inner = new TensorScope();
        var e = Assert.Throws<InvalidOperationException>(() => inner.Escape(t));
        Assert.Contains("not owned by this scope", e.Message);
    }

    [Fact]
    public void PersistTakesATensorOutOfItsScope()
    {
        long before = LiveTensors.Settled();
        Tensor parameter;
        using (new TensorScope()) parameter = Torch.Randn(2, 2).Persist();
        Assert.False(parameter.IsDisposed);
        parameter.Dispose();
        Assert.Equal(before, Torch.LiveTensors);
    }

    [Fact]
    public void DisposeIsIdempotentAndUseAfterDisposeIsAClearError()
    {
        long before = LiveTensors.Settled();
        var t = Torch.Ones(2);
        t.Dispose();
        t.Dispose();
        Assert.Equal(before, Torch.LiveTensors);
        var e = Assert.Throws<ObjectDisposedException>(() => t + t);
        Assert.Contains("already released", e.Message);
        Assert.Equal("Tensor(disposed)", t.ToString());
    }

    [Fact]
    public void DisposingInsideAScopeDoesNotLetTheScopeGrow()
    {
        using var scope = new TensorScope();
        var a = Torch.Ones(1);
        for (int i = 0; i < 10_000; i++) (a + a).Dispose();
        Assert.Equal(1, scope.Count);
    }

    [Fact]
    public void UnscopedTensorsAreReleasedByTheGarbageCollectorAsASafetyNet()
    {
        long before = LiveTensors.Settled();
        CreateGarbage();
        for (int i = 0; i < 5 && Torch.LiveTensors != before; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.Equal(before, Torch.LiveTensors);

        static void CreateGarbage()
        {
            for (int i = 0; i < 100; i++) _ = Torch.Zeros(8);
        }
    }

    [Fact]
    public void DisposingAScopeAlsoDisposesInnerScopesLeftOpen()
    {
        long before = LiveTensors.Settled();
        var outer = new TensorScope();
        var forgotten = new TensorScope();
        var t = Torch.Ones(3);
        outer.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Equal(0, forgotten.Count);
        Assert.Equal(before, Torch.LiveTensors);
        using (var next = new TensorScope())
        {
            _ = Torch.Ones(1);
            Assert.Equal(1, next.Count);
        }
        Assert.Equal(before, Torch.LiveTensors);
    }
}
