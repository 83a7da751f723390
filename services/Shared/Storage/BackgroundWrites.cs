namespace TradeNet.Shared.Storage;

/// <summary>Marks the writes of the current flow as ones nobody waits for (a message's consumer), so that a file's
/// <see cref="Sqlite.WriteTurn"/> lets requests' writes go first. Set where a message is consumed; flows into what it calls.</summary>
public static class BackgroundWrites
{
    private static readonly AsyncLocal<bool> Current = new();

    public static bool Active => Current.Value;

    /// <summary>Marks the rest of the calling async flow (an async method's change ends with it).</summary>
    public static void Begin() => Current.Value = true;
}
