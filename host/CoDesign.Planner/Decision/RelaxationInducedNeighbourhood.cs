using Google.OrTools.LinearSolver;
using Google.OrTools.Sat;
using Constraint = Google.OrTools.LinearSolver.Constraint;

namespace CoDesign.Planner.Decision;

/// <summary>
/// A better starting plan for CP-SAT, found as MIP solvers find one (RINS, relaxation induced neighbourhood
/// search): the linear relaxation of the model is solved with GLOP; every variable whose relaxed value equals
/// its value in the model's hint is fixed there, and CP-SAT solves what is left, which is small. Its answer is
/// a complete feasible assignment, usually close to the optimum; a CP-SAT search started from it proves
/// optimality far sooner than one started from a plan a few percent worse, because the bound it has to reach
/// is nearer and reduced-cost fixing cuts more. Handles the linear constraints and clauses the planner's
/// models are made of; for anything else it finds nothing.
/// </summary>
internal static class RelaxationInducedNeighbourhood
{
    /// <summary>
    /// Solves the neighbourhood of <paramref name="model"/>'s hint within <paramref name="timeLimit"/>: the value
    /// of every variable (by index), or null when the relaxation or the neighbourhood has no solution in the time.
    /// </summary>
    public static long[]? Search(CpModelProto model, TimeSpan timeLimit)
    {
        if (model.SolutionHint is null || model.SolutionHint.Vars.Count == 0 || model.Objective is null || Relax(model) is not { } relaxed)
        {
            return null;
        }

        var neighbourhood = new CpModelProto(model);
        for (int k = 0; k < model.SolutionHint.Vars.Count; k++)
        {
            int v = model.SolutionHint.Vars[k];
            long hinted = model.SolutionHint.Values[k];
            if (Math.Abs(relaxed[v] - hinted) < 1e-6)
            {
                neighbourhood.Variables[v].Domain.Clear();
                neighbourhood.Variables[v].Domain.Add([hinted, hinted]);
            }
        }

        var search = new CpModel();
        search.Model.MergeFrom(neighbourhood);
        var solver = new CpSolver { StringParameters = $"max_time_in_seconds:{Math.Max(0.01, timeLimit.TotalSeconds):0.###},num_workers:1,random_seed:1" };
        return solver.Solve(search) is CpSolverStatus.Optimal or CpSolverStatus.Feasible ? [.. solver.Response!.Solution] : null;
    }

    // The linear relaxation's optimal values, or null when it has none (or the model has constraints this does not relax).
    private static double[]? Relax(CpModelProto model)
    {
        using Solver lp = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools was built without GLOP");
        var vars = new Variable[model.Variables.Count];
        for (int i = 0; i < vars.Length; i++)
        {
            IList<long> domain = model.Variables[i].Domain;
            vars[i] = lp.MakeNumVar(domain[0], domain[^1], "");
        }

        foreach (ConstraintProto c in model.Constraints)
        {
            if (c.EnforcementLiteral.Count > 0)
            {
                return null;
            }

            switch (c.ConstraintCase)
            {
                case ConstraintProto.ConstraintOneofCase.Linear:
                    IList<long> domain = c.Linear.Domain; // its hull: a relaxation of a domain with holes
                    Constraint row = lp.MakeConstraint(
                        domain[0] <= int.MinValue ? double.NegativeInfinity : domain[0],
                        domain[^1] >= int.MaxValue ? double.PositiveInfinity : domain[^1]);
                    for (int k = 0; k < c.Linear.Vars.Count; k++)
                    {
                        row.SetCoefficient(vars[c.Linear.Vars[k]], c.Linear.Coeffs[k]);
                    }

                    break;
                case ConstraintProto.ConstraintOneofCase.BoolOr:
                    // At least one literal true; a negated literal (index -v-1) counts as 1 - v.
                    Constraint clause = lp.MakeConstraint(1 - c.BoolOr.Literals.Count(l => l < 0), double.PositiveInfinity);
                    foreach (int l in c.BoolOr.Literals)
                    {
                        clause.SetCoefficient(vars[l >= 0 ? l : -l - 1], l >= 0 ? 1 : -1);
                    }

                    break;
                default:
                    return null;
            }
        }

        // The proto's objective is always a minimisation (a maximised model stores it negated).
        Objective objective = lp.Objective();
        for (int k = 0; k < model.Objective.Vars.Count; k++)
        {
            objective.SetCoefficient(vars[model.Objective.Vars[k]], model.Objective.Coeffs[k]);
        }

        objective.SetMinimization();
        return lp.Solve() == Solver.ResultStatus.OPTIMAL ? [.. vars.Select(v => v.SolutionValue())] : null;
    }
}
