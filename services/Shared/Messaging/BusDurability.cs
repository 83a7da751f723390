namespace TradeNet.Shared.Messaging;

/// <summary>Whether the bus keeps what it is given across a crash: RabbitMQ does (durable queues, publisher confirms);
/// the in-memory bus holds messages only in the process, so the outbox keeps its events a while after handing them over
/// and hands them over again after a restart (<see cref="Storage.OutboxRelay{TStore}"/>).</summary>
public sealed record BusDurability(bool Durable);
