using System.Runtime.ExceptionServices;

namespace CoDesign.Model.Tests.Fuzzing;

/// <summary>
/// Runs fuzz cases against a reader and holds each to the contract: the documented exception with a
/// message that follows <see cref="ErrorMessageRules"/>, or a result that passes the caller's checks;
/// never another exception, more than <see cref="MaxAllocatedBytesPerCase"/> allocated for one small
/// input, or a run longer than the time limit (a hang).
/// </summary>
public static class FuzzRun
{
    /// <summary>Far above what a reader needs for inputs of a few kilobytes, far below what a size taken from a corrupt header would ask for.</summary>
    public const long MaxAllocatedBytesPerCase = 64L << 20;

    /// <summary>Runs <paramref name="cases"/> cases; returns how many parsed and how many were refused.</summary>
    /// <typeparam name="TInput">What a case feeds the reader.</typeparam>
    /// <typeparam name="TError">The reader's documented exception.</typeparam>
    /// <param name="cases">How many cases.</param>
    /// <param name="makeCase">Builds case number i.</param>
    /// <param name="read">Runs the reader on a case and checks any result it returns.</param>
    /// <param name="describe">Shows a case in a failure message.</param>
    /// <param name="timeLimit">The whole run's limit.</param>
    public static (int Parsed, int Refused) Run<TInput, TError>(
        int cases, Func<int, TInput> makeCase, Action<TInput> read, Func<TInput, string> describe, TimeSpan timeLimit)
        where TError : Exception
    {
        int parsed = 0;
        int refused = 0;
        // The cases run on one worker thread, so a hang fails the test instead of stalling the run,
        // and the thread's allocation counter measures each case alone.
        Task run = Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < cases; i++)
                {
                    TInput input = makeCase(i);
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    try
                    {
                        read(input);
                        parsed++;
                    }
                    catch (TError e)
                    {
                        string? problem = ErrorMessageRules.Problem(e.Message);
                        Assert.True(problem is null, $"case {i}: message \"{Cut(e.Message)}\": {problem}; input: {describe(input)}");
                        refused++;
                    }
                    catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                    {
                        Assert.Fail($"case {i}: {e.GetType().Name} ({Cut(e.Message)}) instead of {typeof(TError).Name}; input: {describe(input)}\n{e.StackTrace}");
                    }

                    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    Assert.True(allocated <= MaxAllocatedBytesPerCase, $"case {i}: allocated {allocated:N0} bytes; input: {describe(input)}");
                }
            },
            TaskCreationOptions.LongRunning);
        try
        {
            if (!run.Wait(timeLimit))
            {
                Assert.Fail($"the fuzz run did not finish within {timeLimit.TotalSeconds:0} s: a case hangs");
            }
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return (parsed, refused);
    }

    /// <summary>Text for a failure message, cut to a readable length.</summary>
    public static string Cut(string text) => text.Length <= 400 ? text : $"{text[..400]}... ({text.Length} characters)";
}
