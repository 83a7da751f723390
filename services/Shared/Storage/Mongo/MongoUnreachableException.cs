namespace TradeNet.Shared.Storage.Mongo;

/// <summary>No MongoDB server answered when a service first used its database (its indexes, at start): said as a refused
/// setting is, "TradeNet cannot start: …" and exit code 2 (<see cref="Hosting.StartFailures"/>), where the driver's
/// server selection timeout ended the start in an unhandled exception's stack dump and an abort (134).</summary>
public sealed class MongoUnreachableException(string message, Exception inner) : Exception(message, inner);
