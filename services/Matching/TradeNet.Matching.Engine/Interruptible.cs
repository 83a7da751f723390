using Google.OrTools.LinearSolver;

namespace TradeNet.Matching.Engine;

/// <summary>OR-Tools solves that a cancelled round interrupts.</summary>
internal static class Interruptible
{
    /// <summary>How often a cancelled solve is interrupted again until it returns.</summary>
    private static readonly TimeSpan InterruptEvery = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Solves; a cancelled round stops the solve itself (SCIP, GLOP and PDLP poll for the interrupt), not only the next
    /// phase. SCIP and PDLP clear an interrupt asked before their solve has started, so one is asked again every
    /// <see cref="InterruptEvery"/> until the solve returns: a round cancelled while a MIP's model was being built (say the
    /// RINS MIP beside merging) ran that MIP to its limit, up to 10 s, and one cancelled as a PDLP master solve began waited
    /// for the whole solve (865,000 columns: 16–17 s), before the cancellation reached the caller.
    /// </summary>
    public static Solver.ResultStatus Solve(Solver solver, CancellationToken ct)
    {
        using var returned = new CancellationTokenSource();
        Task? interrupter = null;
        Solver.ResultStatus status;
        // Disposing the registration waits for a callback already running, so the interrupter is set or never will be.
        try
        {
            using (ct.Register(() => interrupter = Task.Run(() =>
                   {
                       while (!returned.IsCancellationRequested)
                       {
                           solver.InterruptSolve();
                           returned.Token.WaitHandle.WaitOne(InterruptEvery);
                       }
                   })))
                status = solver.Solve();
        }
        finally
        {
            // Also when the solve throws: never interrupt a solver that the caller is about to dispose.
            returned.Cancel();
            interrupter?.Wait();
        }
        return status;
    }
}
