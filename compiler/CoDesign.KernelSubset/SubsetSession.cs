using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>
/// The scans of one compilation's methods, each made once and shared: by <see cref="SubsetChecker"/>
/// following a kernel's callees, and by <see cref="KernelSubsetAnalyzer"/> visiting every method
/// (possibly on several threads). Finds recursion on the call graph the scans make up.
/// </summary>
internal sealed class SubsetSession
{
    private readonly Compilation compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, MethodScan> scans = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> models = new();
    private readonly Func<SyntaxTree, SemanticModel> modelOf;

    public SubsetSession(Compilation compilation)
    {
        this.compilation = compilation;
        modelOf = tree => models.GetOrAdd(tree, t => this.compilation.GetSemanticModel(t));
    }

    public MethodScan ScanOf(IMethodSymbol method) =>
        scans.GetOrAdd(MethodScanner.Definition(method), m => MethodScanner.Scan(m, compilation, modelOf));

    /// <summary>A violation at each call of <paramref name="caller"/> that leads back to <paramref name="caller"/>.</summary>
    public IEnumerable<Violation> Recursion(MethodScan caller)
    {
        foreach (CallSite call in caller.Calls)
        {
            List<IMethodSymbol>? path = PathBetween(call.Callee, caller.Method);
            if (path is not null)
            {
                string cycle = string.Join(" -> ", new[] { caller.Method }.Concat(path).Select(Echo.Member));
                yield return new Violation(call.Location, SubsetCodes.Recursion, $"call to '{Echo.Member(call.Callee)}'", $"is recursive ({cycle}); " + Why.Recursion);
            }
        }
    }

    /// <summary>The shortest chain of calls from <paramref name="from"/> to <paramref name="to"/>, both included; null when there is none.</summary>
    private List<IMethodSymbol>? PathBetween(IMethodSymbol from, IMethodSymbol to)
    {
        var previous = new Dictionary<IMethodSymbol, IMethodSymbol?>(SymbolEqualityComparer.Default) { [from] = null };
        var queue = new Queue<IMethodSymbol>();
        queue.Enqueue(from);
        while (queue.Count > 0)
        {
            IMethodSymbol method = queue.Dequeue();
            if (SymbolEqualityComparer.Default.Equals(method, to))
            {
                var path = new List<IMethodSymbol>();
                for (IMethodSymbol? step = method; step is not null; step = previous[step])
                {
                    path.Add(step);
                }

                path.Reverse();
                return path;
            }

            foreach (CallSite call in ScanOf(method).Calls)
            {
                if (!previous.ContainsKey(call.Callee))
                {
                    previous[call.Callee] = method;
                    queue.Enqueue(call.Callee);
                }
            }
        }

        return null;
    }

    /// <summary>Violations sorted by file and position, each once.</summary>
    public static IEnumerable<Violation> InSourceOrder(IEnumerable<Violation> violations) =>
        violations
            .GroupBy(v => (Path: v.Location.SourceTree?.FilePath ?? string.Empty, v.Location.SourceSpan.Start, v.Code, v.Construct))
            .Select(g => g.First())
            .OrderBy(v => v.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(v => v.Location.SourceSpan.Start)
            .ThenBy(v => v.Code, StringComparer.Ordinal);
}
