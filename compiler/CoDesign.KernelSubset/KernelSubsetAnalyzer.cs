using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CoDesign.KernelSubset;

/// <summary>
/// Reports, as build errors, every violation of the hardware subset in the methods of the project it
/// analyzes (kernels/): the same checks as <see cref="SubsetChecker"/>, each method's own violations at
/// that method, so that a callee's problem is reported once and not at every caller.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class KernelSubsetAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [.. SubsetDescriptors.ByCode.Values];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var session = new SubsetSession(start.Compilation);
            start.RegisterSymbolAction(symbol => Analyze(symbol, session), SymbolKind.Method);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, SubsetSession session)
    {
        if (context.Symbol is not IMethodSymbol method || method.IsImplicitlyDeclared || method.DeclaringSyntaxReferences.IsEmpty || method.PartialDefinitionPart is not null)
        {
            return;
        }

        MethodScan scan = session.ScanOf(method);
        foreach (Violation violation in SubsetSession.InSourceOrder(System.Linq.Enumerable.Concat(scan.Violations, session.Recursion(scan))))
        {
            context.ReportDiagnostic(Diagnostic.Create(SubsetDescriptors.ByCode[violation.Code], violation.Location, violation.Construct, violation.Why));
        }
    }
}
