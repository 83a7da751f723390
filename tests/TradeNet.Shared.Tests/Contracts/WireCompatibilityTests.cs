using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Serialization;
using TradeNet.Contracts;
using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Tests.Contracts;

/// <summary>
/// Events cross releases: rows an older release left in a service's outbox are read by the newer one after an upgrade,
/// and during a rolling upgrade messages on RabbitMQ are read by replicas of the other release. These read what older
/// releases really wrote (Contracts/Wire/README.md) with today's contracts, through the outbox's reader (the relay) and
/// MassTransit's (a consumer), and pin what an older consumer makes of today's messages.
/// </summary>
public sealed class WireCompatibilityTests
{
    /// <summary>A property today's contracts have that an older release did not send, and what its absence means. A
    /// consumer reads the type's default (null here: every one is nullable so absence can be told from a value).</summary>
    private static readonly Dictionary<string, string> Absent = new(StringComparer.Ordinal)
    {
        ["TradeCancelled:deliveredLegs"] =
            "null: nothing was delivered, catalog releases every leg. Added by 85d153b (28 Nov); before it an agreed trade " +
            "could not be cancelled once a leg was delivered, so an older sender never meant otherwise.",
    };

    private static readonly string[] SampleFiles = ["a7bb26b.outbox.jsonl", "48c275b.outbox.jsonl", "48c275b.fixture-outbox.jsonl"];

    public static TheoryData<string> Files => new(SampleFiles);

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_event_an_older_release_wrote_reads_today_with_each_value_it_carried(string file)
    {
        foreach (var sample in WireSample.Read(file))
        {
            var fromOutbox = ReadThroughOutbox(sample);
            var fromBus = ReadThroughMassTransit(sample, fromOutbox.GetType());

            var again = JsonSerializer.SerializeToNode(fromOutbox, fromOutbox.GetType(), OutboxMessage.Json)!;
            var viaBus = JsonSerializer.SerializeToNode(fromBus, fromBus.GetType(), OutboxMessage.Json)!;
            Assert.True(JsonNode.DeepEquals(again, viaBus), $"{sample}: the relay and a consumer read it differently");
            AssertCarried(sample, sample.ShortType, sample.Payload, again);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_property_an_older_release_did_not_send_has_a_stated_meaning_when_absent(string file)
    {
        foreach (var sample in WireSample.Read(file))
        {
            var today = ReadThroughOutbox(sample);
            var written = JsonSerializer.SerializeToNode(today, today.GetType(), OutboxMessage.Json)!;
            foreach (var (path, value) in Missing(sample.ShortType, sample.Payload, written))
            {
                Assert.True(Absent.ContainsKey(path),
                    $"{sample}: '{path}' is not in what {sample.Release} wrote, so today's consumer reads its default ({value?.ToJsonString() ?? "null"}). " +
                    "Say in WireCompatibilityTests.Absent what that default means, make it nullable if a value could be mistaken for absence, " +
                    "and make the consumer treat absence as the older sender meant it (docs/operations.md, 'Upgrading').");
                Assert.Null(value);
            }
        }
    }

    [Fact]
    public void A_cancellation_the_oldest_release_wrote_reads_as_nothing_delivered()
    {
        var sample = WireSample.Read("a7bb26b.outbox.jsonl").Single(s => s.ShortType == nameof(TradeCancelled));

        var cancelled = (TradeCancelled)ReadThroughMassTransit(sample, typeof(TradeCancelled));

        Assert.True(cancelled.WasAgreed);
        Assert.Equal("cancelled by operator: flood", cancelled.Reason);
        Assert.Single(cancelled.Legs);
        Assert.Null(cancelled.DeliveredLegs); // catalog releases every leg (CatalogTradeCancelledConsumer)
    }

    [Fact]
    public void A_stop_report_the_first_release_sending_it_wrote_keeps_the_arrived_legs_and_their_times()
    {
        var sample = WireSample.Read("48c275b.outbox.jsonl").Single(s => s.ShortType == nameof(TradeStopped));

        var stopped = (TradeStopped)ReadThroughMassTransit(sample, typeof(TradeStopped));

        var arrived = Assert.Single(stopped.ArrivedLegs);
        Assert.Equal(0, arrived.LegIndex);
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T12:15:30.123+00:00"), arrived.At);
    }

    [Fact]
    public void Every_event_today_has_a_sample_from_the_first_release_that_sent_it()
    {
        var sampled = SampleFiles.SelectMany(WireSample.Read).Select(s => s.Type).ToHashSet(StringComparer.Ordinal);
        var events = ContractShape.Records().Where(ContractShape.IsEvent).Select(t => t.FullName!);

        Assert.All(events, e => Assert.True(sampled.Contains(e),
            $"{e} has no sample in tests/TradeNet.Shared.Tests/Contracts/Wire: add one as the first release that publishes it " +
            "wrote it (Wire/README.md), so later changes to it are read against what is really on the wire."));
    }

    /// <summary>An older consumer during a rolling upgrade: a7bb26b's TradeCancelled, as it was declared there.</summary>
    private sealed record TradeCancelledAsOfA7bb26b(Guid TradeId, string Reason, bool WasAgreed, TradeLeg[] Legs);

    [Fact]
    public void A_consumer_older_than_delivered_legs_reads_todays_cancellation_and_drops_them()
    {
        var leg = new TradeLeg(0, "42187", "42071", "offer-1", "need-1", "cider", 100, 300, 130, new(46.0443, 4.07974), new(46.02, 4.09), null, null);
        var body = JsonSerializer.Serialize(new TradeCancelled(Guid.NewGuid(), "cancelled by operator: flood", true, [leg], [0]),
            SystemTextJsonMessageSerializer.Options);

        var old = JsonSerializer.Deserialize<TradeCancelledAsOfA7bb26b>(body, SystemTextJsonMessageSerializer.Options)!;

        // It reads, but the delivered leg is lost: such a catalog releases it too. Hence catalog is upgraded before matching.
        Assert.True(old.WasAgreed);
        Assert.Single(old.Legs);
    }

    [Fact]
    public void Neither_reader_refuses_a_property_it_does_not_know()
    {
        const string withNewer = """{"townId":"42187","reinstatedAt":"2026-12-06T10:00:00+00:00","byOperator":"ops","reason":{"text":"x"}}""";

        Assert.Equal("42187", JsonSerializer.Deserialize<TownReinstated>(withNewer, OutboxMessage.Json)!.TownId);
        Assert.Equal("42187", JsonSerializer.Deserialize<TownReinstated>(withNewer, SystemTextJsonMessageSerializer.Options)!.TownId);
    }

    private static object ReadThroughOutbox(WireSample sample) =>
        new OutboxMessage(Guid.NewGuid(), sample.Type, sample.Payload.ToJsonString(), null, DateTimeOffset.UtcNow).Deserialize();

    private static object ReadThroughMassTransit(WireSample sample, Type type) =>
        JsonSerializer.Deserialize(sample.Payload.ToJsonString(), type, SystemTextJsonMessageSerializer.Options)
        ?? throw new InvalidOperationException($"{sample}: null");

    /// <summary>Every property the older payload has is read and written again unchanged (nothing renamed or dropped).</summary>
    private static void AssertCarried(WireSample sample, string path, JsonNode? old, JsonNode? today)
    {
        switch (old)
        {
            case JsonObject o:
                var t = Assert.IsType<JsonObject>(today);
                foreach (var (name, value) in o)
                {
                    Assert.True(t.ContainsKey(name), $"{sample}: '{path}:{name}' that {sample.Release} sent is no longer read (renamed or removed)");
                    AssertCarried(sample, $"{path}:{name}", value, t[name]);
                }
                break;
            case JsonArray a:
                var ta = Assert.IsType<JsonArray>(today);
                Assert.Equal(a.Count, ta.Count);
                for (var i = 0; i < a.Count; i++) AssertCarried(sample, path + "[]", a[i], ta[i]);
                break;
            default:
                Assert.True(JsonNode.DeepEquals(old, today), $"{sample}: '{path}' was {old?.ToJsonString()} and reads {today?.ToJsonString()}");
                break;
        }
    }

    private static IEnumerable<(string Path, JsonNode? Value)> Missing(string path, JsonNode? old, JsonNode? today)
    {
        if (old is JsonObject o && today is JsonObject t)
        {
            foreach (var (name, value) in t)
            {
                if (!o.ContainsKey(name)) yield return ($"{path}:{name}", value);
                else foreach (var m in Missing($"{path}:{name}", o[name], value)) yield return m;
            }
        }
        else if (old is JsonArray a && today is JsonArray ta)
            for (var i = 0; i < Math.Min(a.Count, ta.Count); i++)
                foreach (var m in Missing(path + "[]", a[i], ta[i])) yield return m;
    }
}
