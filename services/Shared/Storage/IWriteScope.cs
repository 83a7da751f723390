namespace TradeNet.Shared.Storage;

/// <summary>
/// One atomic write: the state change, the events it causes (outbox) and the message it consumed
/// (inbox) land together or not at all. Each service's session port builds on it.
/// </summary>
public interface IWriteScope : IAsyncDisposable
{
    /// <summary>Queues an event in the outbox; it leaves only if the scope commits.</summary>
    void Publish<T>(T message) where T : class;

    /// <summary>Records that <paramref name="consumer"/> handled the message; false when it already had.</summary>
    Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default);

    Task CommitAsync(CancellationToken ct = default);
}
