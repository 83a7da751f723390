using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Logistics.Tests.TimeHunt;

/// <summary>The planning time hunt (<see cref="PlanningTimeHunt"/>): a few seeds by default, many on demand.</summary>
public sealed class PlanningTimeHuntTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Routes_next_run_and_sheets_keep_working_hours_and_instants_across_clock_changes_jumps_and_steps_back()
    {
        var (failures, vanRoutes) = (new List<string>(), 0);
        foreach (var seed in TimeHuntInstants.Seeds("1-3"))
        {
            var hunt = new PlanningTimeHunt(seed);
            failures.AddRange(await hunt.RunAsync());
            vanRoutes += hunt.VanRoutes;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(vanRoutes >= 3, $"the seeds planned {vanRoutes} routes on vans: too few to check working hours");
    }

    [HeavyTimeHuntFact]
    public async Task Many_seeds_of_planning_keep_working_hours_and_instants()
    {
        var failures = new List<string>();
        foreach (var seed in HeavyTimeHuntFactAttribute.Seeds())
        {
            var hunt = new PlanningTimeHunt(seed);
            var found = await hunt.RunAsync();
            output.WriteLine($"seed {seed}: {found.Count} failures, {hunt.VanRoutes} routes on vans");
            foreach (var failure in found) output.WriteLine(failure);
            failures.AddRange(found);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }
}
