namespace CoDesign.Planner.Profile;

/// <summary>
/// The schedule a memory plan is solved over: a representative sequence of requests drawn from the mix,
/// one step per request (one batch of one model), repeated cyclically. Each requested model gets steps
/// in proportion to its share (largest remainder over the horizon, at least one each) in a seeded random
/// order, so runs of one model occur as they do among independent requests. A step stands for
/// <see cref="Weights"/> of all requests (its model's share over its model's steps), so costs averaged
/// with these weights are averages over the mix itself, whatever the rounding.
/// </summary>
public sealed class StepSequence
{
    /// <summary>Steps in a sequence unless asked otherwise: enough for rare models to have a step and runs to occur, few enough for the ILP to solve 500 blocks in about a second.</summary>
    public const int DefaultHorizon = 24;

    private readonly int[][] _stepsOf;

    private StepSequence(int[] models, double[] weights, int modelCount)
    {
        Models = models;
        Weights = weights;
        _stepsOf = [.. Enumerable.Range(0, modelCount).Select(m => Enumerable.Range(0, models.Length).Where(t => models[t] == m).ToArray())];
    }

    /// <summary>The model (an index into the problem's models) each step runs.</summary>
    public IReadOnlyList<int> Models { get; }

    /// <summary>The share of all requests each step stands for; they sum to 1.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Steps in one round of the sequence.</summary>
    public int Count => Models.Count;

    /// <summary>The steps that run model <paramref name="model"/>, in order (none for a model the mix never requests).</summary>
    public IReadOnlyList<int> StepsOf(int model) => _stepsOf[model];

    /// <summary>The step before <paramref name="step"/>: the sequence repeats, so step 0 follows the last.</summary>
    public int Previous(int step) => (step + Count - 1) % Count;

    /// <summary>
    /// Draws the sequence for <paramref name="models"/> under <paramref name="mix"/>: about
    /// <paramref name="horizon"/> steps (more when there are more requested models than that; one when a
    /// single model is requested, since all its steps would be alike), ordered by <paramref name="seed"/>.
    /// </summary>
    public static StepSequence Derive(IReadOnlyList<string> models, RequestMix mix, int horizon = DefaultHorizon, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(horizon);
        double[] shares = [.. models.Select(mix.ShareOf)];
        int[] requested = [.. Enumerable.Range(0, models.Count).Where(m => shares[m] > 0)];
        if (requested.Length == 0)
        {
            throw new ArgumentException($"the request mix requests none of the models ({string.Join(", ", models)})", nameof(mix));
        }

        var counts = new int[models.Count];
        if (requested.Length == 1)
        {
            counts[requested[0]] = 1;
        }
        else
        {
            double total = requested.Sum(m => shares[m]);
            foreach (int m in requested)
            {
                counts[m] = Math.Max(1, (int)Math.Floor(shares[m] / total * horizon));
            }

            // Largest remainder: the models furthest below their exact count get the steps left.
            for (int left = horizon - counts.Sum(); left > 0; left--)
            {
                int m = requested.MaxBy(m => (shares[m] / total * horizon) - counts[m]);
                counts[m]++;
            }
        }

        int[] steps = [.. requested.SelectMany(m => Enumerable.Repeat(m, counts[m]))];
        new Random(seed).Shuffle(steps);
        double sum = requested.Sum(m => shares[m]);
        double[] weights = [.. steps.Select(m => shares[m] / sum / counts[m])];
        return new StepSequence(steps, weights, models.Count);
    }
}
