namespace TradeNet.Shared.Storage;

public static class WriteRetry
{
    /// <summary>Runs a whole write session again when it lost a race to another writer (<see cref="WriteConflictException"/>,
    /// after a short random pause); SQLite serialises writers, so only MongoDB ever needs it. The last loss propagates:
    /// a 409 over REST, Aborted over gRPC.</summary>
    public static async Task<T> OnConflictAsync<T>(Func<Task<T>> attempt, int attempts = 5)
    {
        for (var i = 1; ; i++)
        {
            try { return await attempt(); }
            catch (WriteConflictException) when (i < attempts)
            {
                await Task.Delay(Random.Shared.Next(5, 20 * i));
            }
        }
    }
}
