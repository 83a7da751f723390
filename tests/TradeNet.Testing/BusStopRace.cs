namespace TradeNet.Testing;

/// <summary>
/// MassTransit 8.5.12's <c>ReceiveEndpoint.Stop</c> checks its handle, awaits, then uses it; a stop that races another
/// nulls it in between and the host's stop fails with a <see cref="NullReferenceException"/> from inside MassTransit
/// (seen in CI runs, tearing down a logistics test that had passed). A test host's disposal lets that one failure go,
/// and only that one: anything else a host's stop throws still fails the test. The failed stop skips the factory's own
/// <c>Dispose(true)</c>, so the host's files are released here instead.
/// </summary>
public static class BusStopRace
{
    /// <summary>Awaits a test host's disposal, letting go of this race only.</summary>
    /// <param name="releaseFiles">What the factory's <c>Dispose(true)</c> would have released (its data folder); run
    /// when the race is let go, since the failed stop never got that far.</param>
    public static async ValueTask Tolerating(ValueTask disposal, Action releaseFiles)
    {
        try
        {
            await disposal;
        }
        catch (Exception ex) when (IsAllThatFailed(ex))
        {
            releaseFiles();
        }
    }

    private static bool IsAllThatFailed(Exception exception) =>
        exception is AggregateException aggregate
            ? aggregate.Flatten().InnerExceptions.All(IsTheRace)
            : IsTheRace(exception);

    private static bool IsTheRace(Exception exception) =>
        exception is NullReferenceException
        && exception.TargetSite?.DeclaringType?.FullName is { } type
        // The method itself or its async state machine (a nested type).
        && (type == Endpoint || type.StartsWith(Endpoint + "+", StringComparison.Ordinal));

    private const string Endpoint = "MassTransit.Transports.ReceiveEndpoint";
}
