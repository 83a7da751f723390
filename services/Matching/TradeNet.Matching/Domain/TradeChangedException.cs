namespace TradeNet.Matching.Domain;

/// <summary>A consumer lost a race on a trade; thrown so the bus retries the message against the fresh state.</summary>
public sealed class TradeChangedException(string message) : Exception(message);
