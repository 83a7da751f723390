using Microsoft.Data.Sqlite;
using MongoDB.Driver;
using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Shared.Storage;

/// <summary>Tells a failure of the storage itself (SQLite busy past its wait, locked, full, read-only or failing; MongoDB
/// unreachable or timing out) from a bug: the write was not applied, it is not the caller's fault, and the same request
/// may succeed later (HTTP 503 with Retry-After, gRPC Unavailable).</summary>
public static class StorageUnavailable
{
    /// <summary>Seconds a client is asked to wait before retrying (SQLite already waited its 30 s writer wait).</summary>
    public const int RetryAfterSeconds = 5;

    public const string Detail = "The service's storage is busy or failing; the request was not applied and may be retried.";

    public static bool Is(Exception exception) => exception switch
    {
        SqliteException sqlite => SqliteFaults.IsUnavailable(sqlite),
        MongoConnectionException or MongoExecutionTimeoutException or MongoWaitQueueFullException => true,
        // The driver's server selection gives up with a plain TimeoutException.
        TimeoutException timeout => timeout.Source?.StartsWith("MongoDB", StringComparison.Ordinal) == true,
        _ => exception.InnerException is { } inner && Is(inner),
    };
}
