namespace TradeNet.AppHost;

/// <summary>Something the start needs cannot be had (the distributed topology's RabbitMQ): said as a refused setting is,
/// "TradeNet cannot start: …" on standard error and exit code 2, not as an unhandled exception.</summary>
public sealed class CannotStartException(string message) : Exception(message);
