using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Logistics.Tests.TimeHunt;

/// <summary>The working-day hunt (<see cref="WorkingDayHunt"/>): fixed seeds by default, many on demand.</summary>
public sealed class WorkingDayHuntTests(ITestOutputHelper output)
{
    [Fact]
    public void Working_days_next_run_and_local_times_keep_to_the_zones_clock_at_the_hunts_instants()
    {
        var failures = TimeHuntInstants.Seeds("1-12").SelectMany(seed => WorkingDayHunt.Run(seed, cases: 25)).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [HeavyTimeHuntFact]
    public void Many_seeds_of_working_days_keep_to_the_zones_clock()
    {
        var failures = new List<string>();
        foreach (var seed in HeavyTimeHuntFactAttribute.Seeds())
        {
            var found = WorkingDayHunt.Run(seed, cases: 200);
            output.WriteLine($"seed {seed}: {found.Count} failures");
            failures.AddRange(found);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }
}
