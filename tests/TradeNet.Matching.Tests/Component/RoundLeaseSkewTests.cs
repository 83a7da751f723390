using System.Net;
using TradeNet.Matching.Storage;
using TradeNet.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace TradeNet.Matching.Tests.Component;

/// <summary>Two matching replicas over one store whose clocks disagree (a VM resumed from a pause, an NTP step on one
/// host): each judges the clearing lease by its own clock, so skew may let the second take a lease the first still
/// uses. What keeps two rounds from both proposing is not the clock but the holder check inside each round's write.</summary>
public class RoundLeaseSkewTests
{
    [Theory]
    [InlineData(5)]    // ahead by more than the lease: the first replica's lease looks run out to it at once
    [InlineData(30)]
    [InlineData(600)]
    [InlineData(-5)]   // behind: it waits for the first replica's round
    [InlineData(-600)]
    public async Task Two_replicas_whose_clocks_disagree_never_both_propose_the_same_quantities(int secondAheadSeconds)
    {
        var strategy = new GatedStrategy();
        // A lease of 2 s (renewed every 0.67 s), so a skew of seconds already exceeds it.
        await using var first = new MatchingHost(new() { ["Matching:RoundLease"] = "00:00:02" }) { Strategy = strategy, Clock = new ShiftedClock() };
        await first.PublishListingsAsync(Swap.All);
        await using var second = new MatchingHost(new()
        {
            ["Storage:DataDir"] = first.DataDir,
            ["Matching:RoundLease"] = "00:00:02",
        }) { Clock = new ShiftedClock { Shift = TimeSpan.FromSeconds(secondAheadSeconds) } };

        var firstRound = first.Operator().PostAsync("/api/matching/rounds", null);
        await strategy.Started; // the first replica holds the lease and solves
        var secondRound = await second.Operator().PostAsync("/api/matching/rounds", null);
        strategy.Release();
        var firstAnswer = await firstRound;

        await AssertTheSwapProposedOnceAsync(first, firstAnswer, secondRound);
    }

    [Theory]
    [InlineData(-600)] // an NTP step back: its renewals now end its lease in the past, by the other's clock
    [InlineData(-5)]
    [InlineData(5)]    // a step forward (a VM resumed from a pause): its own lease has run out by its own clock
    [InlineData(600)]
    public async Task A_replica_whose_clock_steps_while_it_holds_the_lease_and_another_that_clears_meanwhile_never_both_propose(int stepSeconds)
    {
        var strategy = new GatedStrategy();
        var steppingClock = new ShiftedClock();
        await using var first = new MatchingHost(new() { ["Matching:RoundLease"] = "00:00:02" }) { Strategy = strategy, Clock = steppingClock };
        await first.PublishListingsAsync(Swap.All);
        await using var second = new MatchingHost(new()
        {
            ["Storage:DataDir"] = first.DataDir,
            ["Matching:RoundLease"] = "00:00:02",
        }) { Clock = new ShiftedClock() };

        var firstRound = first.Operator().PostAsync("/api/matching/rounds", null);
        await strategy.Started;
        steppingClock.Shift = TimeSpan.FromSeconds(stepSeconds);
        await Task.Delay(TimeSpan.FromSeconds(1)); // a renewal or more on the stepped clock
        var secondRound = await second.Operator().PostAsync("/api/matching/rounds", null);
        strategy.Release();
        var firstAnswer = await firstRound;

        await AssertTheSwapProposedOnceAsync(first, firstAnswer, secondRound);
    }

    /// <summary>A lease that ran out while nobody took it (a paused VM resumed, its clock stepped forward past the lease, a
    /// stall longer than the renewals' period) is still its holder's: no other round can have run meanwhile, since one has to
    /// take the lease first. Its round used to answer 409 "lease ran out" and propose nothing. (One another instance took is
    /// not: RoundTests.A_round_whose_lease_ran_out_while_it_solved_proposes_nothing_….)</summary>
    [Theory]
    [InlineData(5)]
    [InlineData(600)]
    public async Task A_round_whose_lease_ran_out_while_nobody_took_it_still_proposes(int stepSeconds)
    {
        var strategy = new GatedStrategy();
        var steppingClock = new ShiftedClock();
        await using var host = new MatchingHost(new() { ["Matching:RoundLease"] = "00:00:02" }) { Strategy = strategy, Clock = steppingClock };
        await host.PublishListingsAsync(Swap.All);

        var round = host.Operator().PostAsync("/api/matching/rounds", null);
        await strategy.Started;
        steppingClock.Shift = TimeSpan.FromSeconds(stepSeconds);
        await Task.Delay(TimeSpan.FromSeconds(1)); // a renewal or more finds the lease run out by the stepped clock
        strategy.Release();
        using var answer = await round;

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal(1, (await host.Services.GetRequiredService<IMatchingStore>().RoundsAsync(10)).Sum(r => r.Trades));
    }

    /// <summary>Each replica answers a round or a 409 (busy, or its lease taken over); never both a round that proposed:
    /// the one swap is proposed once and no listing holds more than it has.</summary>
    private static async Task AssertTheSwapProposedOnceAsync(MatchingHost first, HttpResponseMessage firstAnswer, HttpResponseMessage secondAnswer)
    {
        Assert.Contains(firstAnswer.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
        Assert.Contains(secondAnswer.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
        var store = first.Services.GetRequiredService<IMatchingStore>();
        Assert.Equal(1, (await store.RoundsAsync(10)).Sum(r => r.Trades));
        Assert.All(await first.BookAsync(), b => Assert.True(b.Held <= b.Remaining, $"{b.Id} holds {b.Held} of {b.Remaining}"));
    }
}
