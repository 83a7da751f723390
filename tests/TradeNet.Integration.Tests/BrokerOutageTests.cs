using System.Collections.Concurrent;
using MassTransit;
using TradeNet.Contracts;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests;

/// <summary>The outbox at work: the broker goes away while towns keep writing; once it is back every
/// event arrives, and none twice.</summary>
public sealed class BrokerOutageTests(DistributedTradeNet tradeNet) : IClassFixture<DistributedTradeNet>
{
    private const int Listings = 20;

    [Fact]
    public async Task Listings_written_while_the_broker_is_down_all_arrive_once_it_is_back_and_none_twice()
    {
        var deliveries = new ConcurrentBag<(Guid MessageId, string ListingId)>();
        var observer = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host("127.0.0.1", (ushort)tradeNet.Rabbit.Port, "/", h => { h.Username("guest"); h.Password("guest"); });
            cfg.ReceiveEndpoint($"outage-observer-{Guid.NewGuid():N}", e =>
            {
                e.SetQuorumQueue();
                e.Handler<ListingPublished>(context =>
                {
                    deliveries.Add((context.MessageId!.Value, context.Message.Listing.Id));
                    return Task.CompletedTask;
                });
            });
        });
        await observer.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        try
        {
            var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
            var town = await flow.RegisterTown("Saint-Haon-le-Vieux", "42233", 46.07327, 3.90187);
            var (category, _) = await flow.Categories(4);

            await tradeNet.Rabbit.StopAsync();
            var written = new List<string>();
            for (var i = 0; i < Listings; i++)
            {
                var listing = await TradeFlow.Publish(town, "offer", category, 10 + i);
                written.Add(listing.GetProperty("id").GetString()!);
            }
            await tradeNet.Rabbit.RestartAsync();

            await Eventually.True(() => Task.FromResult(written.All(id => deliveries.Any(d => d.ListingId == id))),
                TimeSpan.FromSeconds(120), "every listing written during the outage to arrive");
            await Task.Delay(TimeSpan.FromSeconds(3)); // room for a duplicate to show up, if one were coming
            Assert.Equal(Listings, deliveries.Count);
            Assert.Equal(Listings, deliveries.Select(d => d.MessageId).Distinct().Count());
            Assert.Equal(written.Order(), deliveries.Select(d => d.ListingId).Order());

            // The services reconnected too: the catalog still serves writes that flow to the bus.
            var after = await TradeFlow.Publish(town, "offer", category, 99);
            var afterId = after.GetProperty("id").GetString();
            await Eventually.True(() => Task.FromResult(deliveries.Any(d => d.ListingId == afterId)), TimeSpan.FromSeconds(60),
                "a listing written after the outage");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw tradeNet.WithLogs(ex);
        }
        finally
        {
            await observer.StopAsync();
        }
    }
}
