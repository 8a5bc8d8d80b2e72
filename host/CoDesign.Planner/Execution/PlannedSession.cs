using CoDesign.Model;
using CoDesign.Planner.Decision;
using CoDesign.Planner.Profile;
using CoDesign.Runtime.Deploy;

namespace CoDesign.Planner.Execution;

/// <summary>
/// Several models sharing one device by a memory plan that follows the set of models: adding or removing a
/// model solves the plan again (both ILPs over the models now present and their request weights, the one
/// that sends less over independent requests chosen: <see cref="IndependentRequestPlanner"/>) and applies
/// only the difference to the device: blocks the new plan keeps stay where they are, blocks of a removed
/// model and blocks the new plan never keeps are unloaded, and the rest is loaded as its steps come. A model
/// is profiled once, when it is added. If no plan exists with a model added, it is not added and the
/// running plan stays.
/// </summary>
public sealed class PlannedSession : IDisposable
{
    private readonly DeviceSession _session;
    private readonly List<ModelProfile> _models = [];
    private readonly Dictionary<string, double> _weights = [];
    private readonly int _batch;
    private readonly int? _capacity;
    private readonly int _horizon;
    private readonly TimeSpan? _timeLimit;
    private PlannedDeployment? _deployment;

    /// <summary>
    /// A session with no models yet on <paramref name="session"/>'s device: batches of <paramref name="batch"/>,
    /// plans within <paramref name="capacity"/> bytes (the device's memory unless given) over about
    /// <paramref name="horizon"/> steps, each solve given <paramref name="timeLimit"/>.
    /// </summary>
    public PlannedSession(DeviceSession session, int batch, int? capacity = null, int horizon = StepSequence.DefaultHorizon, TimeSpan? timeLimit = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        _session = session;
        _batch = batch;
        _capacity = capacity;
        _horizon = horizon;
        _timeLimit = timeLimit;
    }

    /// <summary>The plan running now (null with no models).</summary>
    public MemoryPlan? Plan => _deployment?.Plan;

    /// <summary>The models present, in the order added.</summary>
    public IReadOnlyList<ModelProfile> Models => _models;

    /// <summary>Times the plan was solved again.</summary>
    public int Solves { get; private set; }

    /// <summary>Blocks unloaded by re-plans (a removed model's, and those the new plan never keeps).</summary>
    public int UnloadedByReplans { get; private set; }

    /// <summary>The most device memory the plans' blocks held at any moment.</summary>
    public int PeakBytes => _deployment?.PeakBytes ?? 0;

    /// <summary>The deployment carrying the plan out (null with no models).</summary>
    public PlannedDeployment? Deployment => _deployment;

    /// <summary>
    /// Adds <paramref name="model"/>, requested in proportion to <paramref name="weight"/> beside the others'
    /// weights, and solves the plan again. Throws <see cref="ArgumentException"/> for a name already present
    /// and <see cref="InvalidOperationException"/> when no plan exists with it (it is then not added).
    /// </summary>
    public MemoryPlan Add(SparseModel model, double weight = 1)
    {
        if (_weights.ContainsKey(model.Name))
        {
            throw new ArgumentException($"model '{model.Name}' is in the session already", nameof(model));
        }

        if (!(weight > 0) || !double.IsFinite(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"request weight of model '{model.Name}' must be a positive number");
        }

        ModelProfile profile = ModelProfile.Measure(model, _session.Profile, ModelProfile.DefaultBlockBytes(_session.Profile));
        MemoryPlan plan = Solve([.. _models, profile], new Dictionary<string, double>(_weights) { [model.Name] = weight })
            ?? throw new InvalidOperationException($"no memory plan exists with model '{model.Name}' added: a column block does not fit beside nothing in {_capacity ?? _session.Profile.PersistentBytes:N0} bytes; it was not added");
        _models.Add(profile);
        _weights[model.Name] = weight;
        Apply(plan);
        return plan;
    }

    /// <summary>Removes the model named <paramref name="name"/>, unloads its blocks and solves the plan again; false when it is not present.</summary>
    public bool Remove(string name)
    {
        int m = _models.FindIndex(p => p.Name == name);
        if (m < 0)
        {
            return false;
        }

        _models.RemoveAt(m);
        _weights.Remove(name);
        if (_models.Count == 0)
        {
            _deployment?.Dispose();
            _deployment = null;
            return true;
        }

        Apply(Solve(_models, _weights) ?? throw new InvalidOperationException("no memory plan exists for the models left"));
        return true;
    }

    /// <summary>Runs <paramref name="count"/> inputs of the model named <paramref name="name"/> by the plan running now.</summary>
    public InferenceResult Infer(string name, ReadOnlySpan<byte> inputs, int count)
    {
        ModelProfile model = _models.Find(p => p.Name == name) ?? throw new ArgumentException($"model '{name}' is not in the session", nameof(name));
        return _deployment!.Infer(model, inputs, count);
    }

    /// <summary>Unloads every block on the device.</summary>
    public void Dispose()
    {
        _deployment?.Dispose();
        _deployment = null;
    }

    private MemoryPlan? Solve(IReadOnlyList<ModelProfile> models, IReadOnlyDictionary<string, double> weights)
    {
        var problem = new PlanningProblem(models, _session.Profile, RequestMix.FromWeights(weights), _batch, _capacity, _horizon);
        Solves++;
        return IndependentRequestPlanner.Solve(problem, _timeLimit)?.Plan;
    }

    private void Apply(MemoryPlan plan)
    {
        if (_deployment is null)
        {
            _deployment = PlannedDeployment.Deploy(_session, plan);
        }
        else
        {
            UnloadedByReplans += _deployment.Replan(plan);
        }
    }
}
