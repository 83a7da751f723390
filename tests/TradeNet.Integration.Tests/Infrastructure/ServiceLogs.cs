namespace TradeNet.Integration.Tests.Infrastructure;

/// <summary>A failed scenario across processes says little by itself: its failure carries the tail of every service's log.</summary>
public static class ServiceLogs
{
    public static async Task ExplainFailureAsync(this ITradeNetUnderTest tradeNet, Func<Task> scenario)
    {
        try
        {
            await scenario();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw tradeNet.WithLogs(ex);
        }
    }

    /// <summary>The failure with the tail of the logs; all of them go to a file it names (the tail is mostly the gateway's).</summary>
    public static Xunit.Sdk.XunitException WithLogs(this ITradeNetUnderTest tradeNet, Exception ex)
    {
        var logs = tradeNet.Logs();
        var file = Path.Combine(Path.GetTempPath(), $"tradenet-service-logs-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.txt");
        File.WriteAllText(file, logs);
        // The scenario's own stack goes first: the exception thrown here has only this method's.
        return new($"{ex.Message}\n--- where ---\n{ex.StackTrace}\n--- service logs (all of them: {file}) ---\n{Tail(logs)}");
    }

    private static string Tail(string logs) => logs.Length > 20_000 ? logs[^20_000..] : logs;
}
