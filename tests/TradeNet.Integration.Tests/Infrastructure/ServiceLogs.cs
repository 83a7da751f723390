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

    public static Xunit.Sdk.XunitException WithLogs(this ITradeNetUnderTest tradeNet, Exception ex) =>
        new($"{ex.Message}\n--- service logs ---\n{Tail(tradeNet.Logs())}");

    private static string Tail(string logs) => logs.Length > 20_000 ? logs[^20_000..] : logs;
}
