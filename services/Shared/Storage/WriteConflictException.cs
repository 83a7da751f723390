namespace TradeNet.Shared.Storage;

/// <summary>A write lost a race with another writer of the same record. Stores throw a subclass; callers retry the whole
/// session. One that still loses after its retries reaches the client as a 409 asking it to try again
/// (<see cref="Hosting.ProblemExceptionHandler"/>), not as a 500: nothing was written, and a retry can succeed.</summary>
public abstract class WriteConflictException(string message, Exception? inner = null) : Exception(message, inner);
