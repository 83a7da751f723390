namespace TradeNet.Matching.Engine;

/// <summary>What the second core does while merging runs on the first (ComponentSolver.Merge).</summary>
internal sealed partial class ComponentSolver
{
    /// <summary>Most the MIP that merges the RINS plan found beside merging into the merged plan gets (2,000 listings, K = 4,
    /// seed 1: +360 to +519, more than RINS gained on its own; the solve ended at 0.50–0.60 % with 3 s, 0.54–0.62 % with
    /// 2 s, 0.57–0.62 % with 4 s and 0.55–0.60 % with 5 s, whose merges gained no more and left the regions less).</summary>
    private static readonly TimeSpan RinsMergeBudget = TimeSpan.FromSeconds(3);
    /// <summary>Most the MIP that merges in what the region search beside the RINS plan's merge found gets (0.7 s, 1 s and
    /// 1.5 s ended alike).</summary>
    private static readonly TimeSpan RegionsMergeBudget = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The second core's share of merging: GLOP and SCIP run on one thread, so it idled while the other plan was built
    /// and merged. Now the RINS MIP (<see cref="Neighbourhood"/>: the LP's support, the plan's columns that meet their
    /// lot in the LP kept on) searches from the plan there meanwhile, on a copy of the columns (the other plan's pricing
    /// adds columns as it goes), and never touches the LP. Seed 1 of 2,000 listings, K = 4: +229 to +302 over the plan
    /// in the 8.6 s merging has, about what the merge MIP finds, in other trades.
    /// </summary>
    private Task<(double[] Values, MipSolver.Outcome Mip, int Binaries)?> RinsBeside(MasterLp lp, double[] lpValues, double[] plan, Deadline budget)
    {
        var columns = lp.Columns.ToList();
        var lpAt = Grown(lpValues, columns.Count);
        var from = Grown((double[])plan.Clone(), columns.Count);
        var limit = budget.RemainingOr(MergeMipBudget);
        return Task.Run(() => Neighbourhood(lp, lpAt, from, limit, keepLpFeasibleOn: true, polish: false, columns), ct);
    }

    /// <summary>The RINS plan found beside merging, its amounts re-optimised by the LP, merged into the merged plan by the
    /// MIP over both plans' columns (<see cref="Merge"/>): seed 1, +360 to +519 in 3 s, where the better of the two alone
    /// would have kept only the larger of their gains over the plan (+309 or +302).</summary>
    private (double[] Plan, double Value) MergeRinsPlan(MasterLp lp, double[] best, double value, double[] plan,
        (double[] Values, MipSolver.Outcome Mip, int Binaries)? rins)
    {
        if (rins is not (var found, var mip, _) || deadline.Expired) return (best, value);
        var columns = lp.Columns;
        var rinsPlan = Grown(found, columns.Count);
        var polished = ResolveWithFixedChoices(lp, columns, rinsPlan);
        if (polished is not null && Objective(columns, polished) > Objective(columns, rinsPlan)) rinsPlan = polished;
        var rinsValue = Objective(columns, rinsPlan);
        var start = value;
        if (rinsValue > Objective(columns, plan) + Tolerance(rinsValue))
        {
            best = Grown(best, columns.Count);
            var limit = deadline.Within(RinsMergeBudget);
            var regions = RegionsBeside(lp, best, limit);
            (double[] Values, MipSolver.Outcome Mip, int Union, int Common)? merged;
            try { merged = Merge(lp, best, rinsPlan, limit.RemainingOr(RinsMergeBudget)); }
            finally { regions.Work.ContinueWith(_ => { }, TaskScheduler.Default).Wait(); } // never leave it running
            regions.Work.GetAwaiter().GetResult();
            if (merged is not null && Objective(columns, merged.Value.Values) > value + Tolerance(value))
                (best, value) = (merged.Value.Values, Objective(columns, merged.Value.Values));
            else if (rinsValue > value + Tolerance(value)) (best, value) = (rinsPlan, rinsValue);
            (best, value) = MergeRegionsPlan(lp, best, value, regions.Search);
        }
        Trace($"  rins beside: {rinsValue:F1} (+{rinsValue - Objective(columns, plan):F1} over the plan, mipBound {mip.BestBound:F1}), merged in +{value - start:F1}, plan {value:F1}, t={deadline.Elapsed.TotalSeconds:F2}");
        return (best, value);
    }

    /// <summary>The region search (<see cref="ImproveRegions"/>) on the second core from the merged plan while the RINS plan
    /// is merged into it on the first. With one worker it never re-optimises through the LP, so the LP stays the merge's.
    /// Without a time limit (tests, by their passes) it runs its whole pass, each region within its own MIP budget, as the
    /// region search after it does: cut by the merge's 3 s, the regions it reached depended on the machine's load.</summary>
    private (RegionSearch Search, Task Work) RegionsBeside(MasterLp lp, double[] plan, Deadline limit)
    {
        var search = new RegionSearch(this, lp, (double[])plan.Clone(), TownAdjacency(), deadline.Unlimited ? new Deadline(null) : limit, ct);
        search.StartPass();
        return (search, Task.Run(() => search.Work(1), ct));
    }

    /// <summary>What the regions beside found, merged in by the merge MIP (1 s at most). Their choices alone do not fit the
    /// plan the RINS plan's merge made (each region taken in with its amounts re-optimised: +0 of +201); the MIP keeps
    /// +114 to +162 of it. Seed 1, 2,000 listings, K = 4, eight interleaved pairs: 0.513–0.538 % against 0.530–0.582 %
    /// (0.521 % against 0.543 % on average); with the region search's first pass then skipping the towns they covered,
    /// 0.511–0.549 % (0.525 %), so it does not.</summary>
    private (double[] Plan, double Value) MergeRegionsPlan(MasterLp lp, double[] best, double value, RegionSearch regions)
    {
        var start = value;
        if (regions.Value > regions.StartValue + Tolerance(regions.Value) && !deadline.Expired)
        {
            var merged = Merge(lp, Grown(best, lp.Columns.Count), regions.Plan, deadline.Within(RegionsMergeBudget).RemainingOr(RegionsMergeBudget));
            if (merged is not null && Objective(lp.Columns, merged.Value.Values) > value + Tolerance(value))
                (best, value) = (merged.Value.Values, Objective(lp.Columns, merged.Value.Values));
        }
        Trace($"  regions beside: tried {regions.Tried}, improved {regions.Improved} (+{regions.Value - regions.StartValue:F1} there), {(regions.PassDone ? "pass done" : "cut by the clock")}, merged in +{value - start:F1}, plan {value:F1}, t={deadline.Elapsed.TotalSeconds:F2}");
        return (best, value);
    }
}
