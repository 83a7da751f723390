namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>A town as <see cref="RandomTrading"/> acts for it: its API key changes when it rotates, and stops working
/// when an operator suspends it. A request sent with a key that was being replaced, or by a suspended town, may be
/// refused (401 at the gateway, 403 at a service): that answer is expected; any other 401/403 is not.</summary>
public sealed class Trader(TradeFlow.Town town)
{
    private TradeNetClient _client = town.Client;
    private int _generation; // odd while a rotation is under way
    private readonly SemaphoreSlim _rotation = new(1, 1);

    public string Id => town.Id;
    public TradeNetClient Client => Volatile.Read(ref _client);
    public bool Suspended { get; private set; }

    /// <summary>What a request starts with: the key's generation, to tell afterwards whether the key changed under it.</summary>
    public int Generation => Volatile.Read(ref _generation);

    public bool MayBeRefused(int generationAtStart) =>
        Suspended || generationAtStart % 2 == 1 || Generation != generationAtStart;

    /// <summary>Replaces the key through <paramref name="rotate"/> (the town itself or an operator; it returns the
    /// answer's new key, or null when the rotation was refused), one rotation at a time; a suspended town rotates none.</summary>
    public async Task RotateAsync(Func<TradeNetClient, Task<string?>> rotate, Func<string, TradeNetClient> clientFor)
    {
        await _rotation.WaitAsync();
        try
        {
            if (Suspended) return;
            Interlocked.Increment(ref _generation);
            try
            {
                if (await rotate(Client) is { } key) Volatile.Write(ref _client, clientFor(key));
            }
            finally
            {
                Interlocked.Increment(ref _generation);
            }
        }
        finally
        {
            _rotation.Release();
        }
    }

    /// <summary>Marked before the operator's call, so a request refused because of it is expected from then on.</summary>
    public async Task SuspendAsync(Func<Task> suspend)
    {
        await _rotation.WaitAsync();
        try
        {
            Suspended = true;
            await suspend();
        }
        finally
        {
            _rotation.Release();
        }
    }
}
