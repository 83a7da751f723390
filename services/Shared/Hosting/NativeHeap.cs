using System.Runtime.InteropServices;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// Gives the native heap's free memory back to the system. A clearing round's or planning run's OR-Tools solve allocates
/// tens of MB natively and frees them at the end, but glibc keeps freed memory in the arena of the thread that used it,
/// and the solves land on different thread-pool threads: the standalone host held ~190 MB of native heap with 35 MB in
/// use, rising run after run until every arena had held a solve (docs/benchmarks.md, "Running system").
/// </summary>
public static class NativeHeap
{
    public static void ReturnFreed()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): nothing to give back this way.
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
