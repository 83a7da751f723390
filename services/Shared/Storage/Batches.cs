namespace TradeNet.Shared.Storage;

/// <summary>Deleting what is past its keeping time a bounded batch per write (each write short, so the service's own
/// writes are not held up), until a batch comes back short.</summary>
public static class Batches
{
    /// <summary>Calls <paramref name="deleteBatch"/> with <paramref name="batch"/> until it deletes fewer; returns how many in all.</summary>
    public static async Task<int> DeleteUntilShortAsync(Func<int, CancellationToken, Task<int>> deleteBatch, int batch, CancellationToken ct)
    {
        var total = 0;
        int deleted;
        do total += deleted = await deleteBatch(batch, ct);
        while (deleted == batch && !ct.IsCancellationRequested);
        return total;
    }
}
