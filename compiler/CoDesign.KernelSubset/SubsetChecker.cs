using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CoDesign.KernelSubset;

/// <summary>Checks that a method (and what it calls) stays inside the hardware subset of C#.</summary>
public static class SubsetChecker
{
    /// <summary>
    /// Every violation in <paramref name="method"/>'s body, its signature and the bodies of the
    /// methods it calls (transitively, each once), in source order. Empty when it can become hardware.
    /// </summary>
    public static IReadOnlyList<KernelDiagnostic> Check(IMethodSymbol method, Compilation compilation)
    {
        var session = new SubsetSession(compilation);
        var found = new List<Violation>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Queue<IMethodSymbol>();
        IMethodSymbol root = MethodScanner.Definition(method);
        seen.Add(root);
        pending.Enqueue(root);
        while (pending.Count > 0)
        {
            MethodScan scan = session.ScanOf(pending.Dequeue());
            found.AddRange(scan.Violations);
            found.AddRange(session.Recursion(scan));
            foreach (CallSite call in scan.Calls)
            {
                if (seen.Add(call.Callee))
                {
                    pending.Enqueue(call.Callee);
                }
            }
        }

        return SubsetSession.InSourceOrder(found).Select(v => v.ToDiagnostic()).ToList();
    }
}
