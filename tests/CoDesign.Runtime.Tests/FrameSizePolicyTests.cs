using CoDesign.Runtime.Link;
using FsCheck;
using FsCheck.Fluent;

namespace CoDesign.Runtime.Tests;

/// <summary>The frame-size policy: the goodput optimum, its estimate of the error rate, its hysteresis.</summary>
public class FrameSizePolicyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(200);

    [Fact]
    public void TheOptimumIsWithinTheBoundsAndNoWorseThanAnyOtherSize()
    {
        Prop.ForAll(ErrorRates(), Gen.Choose(64, 65535).ToArbitrary(), (rate, max) =>
        {
            int best = FrameSizePolicy.OptimalPayload(rate, FrameSizePolicy.DefaultExchangeOverhead, 64, max);
            Assert.InRange(best, 64, max);
            Assert.True(best == max || best % FrameSizePolicy.Granularity == 0, $"{best} at {rate}");
            double goodput = FrameSizePolicy.ExpectedGoodput(best, rate, FrameSizePolicy.DefaultExchangeOverhead);
            // No other multiple of 8 within the bounds (nor the bounds) does better, beyond rounding.
            for (int other = 64; other <= max; other += Math.Max(8, max / 512 / 8 * 8))
            {
                Assert.True(FrameSizePolicy.ExpectedGoodput(other, rate, FrameSizePolicy.DefaultExchangeOverhead) <= goodput * 1.001, $"{other} beats {best} at {rate}");
            }
        }).CheckWith(Runs);
    }

    [Fact]
    public void TheOptimumNeverGrowsAsTheLineGetsWorse()
    {
        Prop.ForAll(ErrorRates(), ErrorRates(), (a, b) =>
        {
            (double better, double worse) = a <= b ? (a, b) : (b, a);
            Assert.True(
                FrameSizePolicy.OptimalPayload(worse, 48, 64, 4096) <= FrameSizePolicy.OptimalPayload(better, 48, 64, 4096),
                $"{better} vs {worse}");
        }).CheckWith(Runs);
    }

    [Fact]
    public void ACleanLineKeepsTheLargestFrames()
    {
        var policy = new FrameSizePolicy(4096);
        for (int i = 0; i < 1000; i++)
        {
            policy.Record(4150, true);
        }

        Assert.Equal(4096, policy.PayloadSize);
        Assert.Equal(0, policy.ByteErrorRate);
    }

    [Fact]
    public void ALinkThatLosesEverythingFallsToTheSmallestFrames()
    {
        var policy = new FrameSizePolicy(4096, 64);
        for (int i = 0; i < 50; i++)
        {
            policy.Record(policy.PayloadSize + 60, false);
        }

        Assert.Equal(64, policy.PayloadSize);
    }

    [Fact]
    public void OnASimulatedLineThePolicySettlesNearTheOptimumAndRecoversWhenTheLineClears()
    {
        // Exchanges succeed with probability exp(-ε·bytes), as on a line with independent byte errors.
        Prop.ForAll(Gen.Elements(2e-5, 1e-4, 3e-4, 1e-3, 3e-3).ToArbitrary(), Gen.Choose(1, 1000).ToArbitrary(), (rate, seed) =>
        {
            var random = new Random(seed);
            var policy = new FrameSizePolicy(4096);
            var sizes = new List<int>();
            for (int i = 0; i < 4000; i++)
            {
                int bytes = policy.PayloadSize + 60;
                policy.Record(bytes, random.NextDouble() < Math.Exp(-rate * bytes));
                sizes.Add(policy.PayloadSize);
            }

            int optimum = FrameSizePolicy.OptimalPayload(rate, FrameSizePolicy.DefaultExchangeOverhead, 64, 4096);
            double settled = sizes.Skip(2000).Average();
            Assert.InRange(settled, optimum / 2.0, Math.Min(4096, optimum * 2.0));
            // Goodput within a few percent of the best: the curve is flat near its top.
            double goodput = sizes.Skip(2000).Average(s => FrameSizePolicy.ExpectedGoodput(s, rate, 48));
            Assert.True(goodput >= 0.85 * FrameSizePolicy.ExpectedGoodput(optimum, rate, 48), $"{goodput} at {rate}, optimum {optimum}, settled {settled}");

            // The line clears: within a few windows of traffic the full size is back.
            long clean = 0;
            while (policy.PayloadSize < 4096 && clean < 8L * policy.WindowBytes)
            {
                clean += policy.PayloadSize + 60;
                policy.Record(policy.PayloadSize + 60, true);
            }

            Assert.Equal(4096, policy.PayloadSize);
        }).CheckWith(Config.QuickThrowOnFailure.WithMaxTest(30));
    }

    [Fact]
    public void SmallSwingsOfTheEstimateDoNotChangeTheFrameSize()
    {
        var policy = new FrameSizePolicy(4096);
        var random = new Random(5);
        const double rate = 3e-4;
        var changes = 0;
        int last = -1;
        for (int i = 0; i < 6000; i++)
        {
            int bytes = policy.PayloadSize + 60;
            policy.Record(bytes, random.NextDouble() < Math.Exp(-rate * bytes));
            if (i >= 3000 && policy.PayloadSize != last)
            {
                changes++;
            }

            last = policy.PayloadSize;
        }

        // Settled, it changes size rarely: most exchanges keep the size of the one before.
        Assert.True(changes < 3000 / 20, $"{changes} changes in 3000 exchanges");
    }

    [Fact]
    public void ForgivingALossUndoesIt()
    {
        var policy = new FrameSizePolicy(4096);
        for (int i = 0; i < 20; i++)
        {
            policy.Record(1000, true);
        }

        policy.Record(1000, false);
        Assert.True(policy.ByteErrorRate > 0);
        policy.Forgive();
        Assert.Equal(0, policy.ByteErrorRate);
    }

    [Fact]
    public void BoundsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameSizePolicy(32, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameSizePolicy(4096, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameSizePolicy(4096).Record(-1, true));
        Assert.Equal(100, new FrameSizePolicy(100, 100).PayloadSize);
    }

    private static Arbitrary<double> ErrorRates() =>
        Gen.Choose(0, 600).Select(e => e == 0 ? 0 : Math.Pow(10, -7 + (e / 100.0))).ToArbitrary();
}
