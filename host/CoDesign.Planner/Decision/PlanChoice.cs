namespace CoDesign.Planner.Decision;

/// <summary>
/// What <see cref="IndependentRequestPlanner"/> chose: <see cref="Plan"/>, carried out, and <see cref="Other"/>,
/// the ILP plan not chosen (null when the sequence has one step), each with the weight bytes per input it sent
/// when replayed over independent requests; <see cref="SolveTime"/> covers both solves and the replays.
/// </summary>
public sealed record PlanChoice(MemoryPlan Plan, double ReplayedBytesPerInput, MemoryPlan? Other, double? OtherReplayedBytesPerInput, TimeSpan SolveTime);
