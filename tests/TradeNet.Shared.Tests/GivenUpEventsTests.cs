using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TradeNet.Shared.Messaging;

namespace TradeNet.Shared.Tests;

/// <summary>The rest of an event a consumer gave up on is timed by the host's clock, as the outbox relay that hands it
/// over again is: it read the system clock, so a test's clock moved the relay but never ended a rest.</summary>
public sealed class GivenUpEventsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_event_given_up_now_rests_exactly_its_stated_time_on_the_clock_it_was_given()
    {
        var clock = new FakeTimeProvider(Start);
        var events = new GivenUpEvents(clock);
        var id = Guid.NewGuid();

        events.Add(id);
        clock.Advance(GivenUpEvents.Rest - TimeSpan.FromTicks(1));
        var early = events.Due();
        clock.Advance(TimeSpan.FromTicks(1));

        Assert.Empty(early);
        Assert.Equal([id], events.Due());
    }

    [Fact]
    public void An_event_given_up_earlier_rests_what_is_left_of_its_time_on_that_clock()
    {
        var clock = new FakeTimeProvider(Start);
        var events = new GivenUpEvents(clock);
        var id = Guid.NewGuid();

        events.Add(id, Start - TimeSpan.FromSeconds(10));
        clock.Advance(GivenUpEvents.Rest - TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        var early = events.Due();
        clock.Advance(TimeSpan.FromTicks(1));

        Assert.Empty(early);
        Assert.Equal([id], events.Due());
    }

    [Fact]
    public void The_in_memory_bus_gives_its_given_up_events_the_hosts_clock()
    {
        var clock = new FakeTimeProvider(Start);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddTradeNetBus();
        using var host = builder.Build();
        var events = host.Services.GetRequiredService<GivenUpEvents>();
        var id = Guid.NewGuid();

        events.Add(id);
        clock.Advance(GivenUpEvents.Rest);

        Assert.Equal([id], events.Due());
    }
}
