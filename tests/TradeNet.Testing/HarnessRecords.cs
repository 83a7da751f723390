using MassTransit.Testing;

namespace TradeNet.Testing;

/// <summary>
/// What MassTransit's test harness has recorded so far, read without waiting. The harness's own <c>Select</c> waits for
/// more messages while holding its list's lock, and on leaving disposes a callback that needs that same lock: when the
/// harness's inactivity timer fires at that moment the test hangs for good (seen in CI). Given a token that is already
/// cancelled, <c>Select</c> returns what is recorded before it registers that callback; tests poll with
/// <see cref="Eventually"/> instead of waiting inside the harness.
/// </summary>
public static class HarnessRecords
{
    private static readonly CancellationToken NoWait = new(canceled: true);

    /// <summary>The messages of type <typeparamref name="T"/> published so far, oldest first.</summary>
    public static IReadOnlyList<T> PublishedSoFar<T>(this ITestHarness harness) where T : class =>
        harness.PublishesSoFar<T>().Select(m => m.Context.Message).ToList();

    /// <summary>The publishes of type <typeparamref name="T"/> so far with their contexts (message ids), oldest first.</summary>
    public static IReadOnlyList<IPublishedMessage<T>> PublishesSoFar<T>(this ITestHarness harness) where T : class =>
        harness.Published.Select<T>(NoWait).ToList();

    /// <summary>How many messages of any type were published so far: read once the outbox has drained, that is all of them.</summary>
    public static int PublishedCountSoFar(this ITestHarness harness) =>
        harness.Published.Select(_ => true, NoWait).Count();

    /// <summary>Whether a consume of the message with <paramref name="messageId"/> has succeeded so far.</summary>
    public static bool ConsumedWithoutFaultSoFar(this ITestHarness harness, Guid messageId) =>
        harness.Consumed.Select(m => m.Context.MessageId == messageId && m.Exception is null, NoWait).Any();

    /// <summary>The consumes of type <typeparamref name="T"/> recorded so far (faulted ones included), oldest first.</summary>
    public static IReadOnlyList<IReceivedMessage<T>> ConsumedSoFar<T>(this ITestHarness harness) where T : class =>
        harness.Consumed.Select<T>(NoWait).ToList();
}
