using System.Numerics;

namespace CoDesign.Compression;

/// <summary>
/// Applies Adam or SGD-with-momentum updates to a fixed list of parameter tensors, keeping each
/// tensor's moment estimates. Tensors are addressed by slot number, state is created on first use.
/// </summary>
internal sealed class ParameterOptimizer(TrainingOptions options)
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    private readonly Dictionary<int, (float[] First, float[] Second)> _state = [];
    private long _step;

    /// <summary>Starts a new optimisation step (Adam's bias correction counts steps).</summary>
    public void BeginStep() => _step++;

    /// <summary>Updates <paramref name="parameters"/> from <paramref name="gradient"/> at learning rate <paramref name="rate"/>; <paramref name="decay"/> enables weight decay.</summary>
    public void Update(int slot, Span<float> parameters, ReadOnlySpan<float> gradient, float rate, bool decay)
    {
        if (!_state.TryGetValue(slot, out var state))
        {
            state = (new float[parameters.Length], options.Optimizer == TrainingOptimizer.Adam ? new float[parameters.Length] : []);
            _state[slot] = state;
        }

        float decayFactor = decay && options.WeightDecay > 0 ? 1f - (rate * options.WeightDecay) : 1f;
        if (options.Optimizer == TrainingOptimizer.Adam)
        {
            Adam(parameters, gradient, state.First, state.Second, rate, decayFactor);
        }
        else
        {
            Momentum(parameters, gradient, state.First, rate, decayFactor);
        }
    }

    private void Adam(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float rate, float decayFactor)
    {
        // Bias correction folded into the step size: lr * sqrt(1 - b2^t) / (1 - b1^t).
        float corrected = (float)(rate * Math.Sqrt(1 - Math.Pow(Beta2, _step)) / (1 - Math.Pow(Beta1, _step)));
        var b1 = new Vector<float>(Beta1);
        var b2 = new Vector<float>(Beta2);
        var c1 = new Vector<float>(1 - Beta1);
        var c2 = new Vector<float>(1 - Beta2);
        var step = new Vector<float>(corrected);
        var eps = new Vector<float>(Epsilon);
        var decay = new Vector<float>(decayFactor);
        int width = Vector<float>.Count;
        int i = 0;
        for (; i <= p.Length - width; i += width)
        {
            var gi = new Vector<float>(g[i..]);
            var mi = (b1 * new Vector<float>(m[i..])) + (c1 * gi);
            var vi = (b2 * new Vector<float>(v[i..])) + (c2 * gi * gi);
            mi.CopyTo(m[i..]);
            vi.CopyTo(v[i..]);
            var pi = (decay * new Vector<float>(p[i..])) - (step * mi / (Vector.SquareRoot(vi) + eps));
            pi.CopyTo(p[i..]);
        }

        for (; i < p.Length; i++)
        {
            m[i] = (Beta1 * m[i]) + ((1 - Beta1) * g[i]);
            v[i] = (Beta2 * v[i]) + ((1 - Beta2) * g[i] * g[i]);
            p[i] = (decayFactor * p[i]) - (corrected * m[i] / (MathF.Sqrt(v[i]) + Epsilon));
        }
    }

    private void Momentum(Span<float> p, ReadOnlySpan<float> g, Span<float> velocity, float rate, float decayFactor)
    {
        float mu = options.Momentum;
        for (int i = 0; i < p.Length; i++)
        {
            velocity[i] = (mu * velocity[i]) + g[i];
            p[i] = (decayFactor * p[i]) - (rate * velocity[i]);
        }
    }
}
