namespace TradeNet.Testing;

/// <summary>
/// One test assembly at a time on this machine runs TradeNet as separate processes (the integration tests, the
/// app host of the telemetry tests). `dotnet test` runs assemblies side by side; on two cores, the app host's
/// services starting beside the integration scenarios once took more than 150 s to become healthy in CI.
/// The lock is an exclusive file lock, held until this test process exits (the OS lets go of it then, even after a crash).
/// </summary>
public static class ProcessTestsLock
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static FileStream? _held;

    public static string LockFile { get; } = Path.Combine(Path.GetTempPath(), "tradenet-process-tests.lock");

    /// <summary>How long a test process waits for the lock: longer than the other assembly's whole run holds it (the
    /// integration tests, 8.6 min in CI on 6 Dec 2026). The hang guard (tests/tests.runsettings, 15 min) counts this wait
    /// as the waiting test's own time, so it must exceed that run too: at 6 min it stopped the telemetry tests' host
    /// while it waited its turn behind the integration tests (seen in CI).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(20);

    /// <summary>Waits for the lock (once per test process; later calls return at once).</summary>
    public static async Task HoldForThisProcessAsync(TimeSpan timeout)
    {
        await Gate.WaitAsync();
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (_held is null)
            {
                try
                {
                    // FileShare.None is an exclusive flock on Linux: a second process gets an IOException.
                    _held = new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500));
                }
            }
        }
        finally { Gate.Release(); }
    }
}
