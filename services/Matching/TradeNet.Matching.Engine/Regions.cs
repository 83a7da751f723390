namespace TradeNet.Matching.Engine;

/// <summary>
/// Large components: distance limits make most cycles local, so the towns are split into compact regions
/// by recursive coordinate bisection and each region is solved exactly like a small component. A second
/// pass with regions cut along the other axis (and twice as large) works on the residual quantities and
/// picks up cycles that crossed the first cuts. The bound is the Lagrangian one over the whole component,
/// using the first pass's LP duals and one exact pricing over every arc.
/// </summary>
internal static class Regions
{
    private const int RegionTowns = 150;

    public sealed record Outcome(List<(Column Column, double Value)> Chosen, double Objective, double Bound, int GeneratedColumns, string Method);

    public static Outcome Solve(Market market, int[] arcs, int[] towns, Deadline deadline, double[] dual, int[] localOfTown,
        IReadOnlyList<(int[] Legs, double Value)> seeds, CancellationToken ct)
    {
        var residual = (double[])market.Cap.Clone();
        var chosen = new List<(Column Column, double Value)>();
        var firstPassDuals = new double[dual.Length];
        var generated = 0;
        var region = new int[market.TownCount];
        var passes = 0;
        for (var pass = 0; pass < 2 && !deadline.Expired; pass++)
        {
            var clusters = Bisect(market, towns, pass == 0 ? RegionTowns : 2 * RegionTowns, latFirst: pass == 0);
            for (var c = 0; c < clusters.Count; c++) foreach (var t in clusters[c]) region[t] = c;
            var byRegion = clusters.Select(_ => new List<int>()).ToArray();
            foreach (var a in arcs)
                if (region[market.ArcFrom[a]] == region[market.ArcTo[a]]) byRegion[region[market.ArcFrom[a]]].Add(a);
            var view = market.WithCaps(residual);
            // The first pass gets most of the time, the bound's pricing and the self-check need the rest;
            // every region a share proportional to its arcs.
            var passBudget = deadline.RemainingOr(TimeSpan.FromHours(1)) * (pass == 0 ? 0.55 : 0.7);
            var passStart = deadline.Elapsed;
            var remainingArcs = (double)byRegion.Sum(r => r.Count);
            var seedsByRegion = clusters.Select(_ => new List<(int[] Legs, double Value)>()).ToArray();
            foreach (var seed in seeds)
            {
                var r = region[market.ListingTown[market.LegOffer[seed.Legs[0]]]];
                if (seed.Legs.All(e => region[market.ListingTown[market.LegOffer[e]]] == r)) seedsByRegion[r].Add(seed);
            }
            for (var r = 0; r < byRegion.Length; r++)
            {
                var regionArcs = byRegion[r];
                ct.ThrowIfCancellationRequested();
                if (regionArcs.Count == 0) continue;
                var left = passBudget - (deadline.Elapsed - passStart);
                var share = TimeSpan.FromTicks((long)(Math.Max(0, left.Ticks) * regionArcs.Count / remainingArcs));
                remainingArcs -= regionArcs.Count;
                var comp = new Component(view, regionArcs.ToArray(), localOfTown);
                var sol = new ComponentSolver(view, comp, deadline.Within(share), dual, ct, seedsByRegion[r],
                    seedsArePlan: pass == 0).Solve(); // in pass 2 the swaps' amounts may exceed the residual
                generated += sol.GeneratedColumns;
                for (var i = 0; i < sol.Values.Length; i++)
                {
                    var v = sol.Values[i];
                    if (v <= 0) continue;
                    chosen.Add((sol.Columns[i], v));
                    foreach (var e in sol.Columns[i].Legs)
                    {
                        residual[market.LegOffer[e]] = Math.Max(0, residual[market.LegOffer[e]] - v);
                        residual[market.LegNeed[e]] = Math.Max(0, residual[market.LegNeed[e]] - v);
                    }
                }
                if (pass == 0) foreach (var l in comp.Listings) firstPassDuals[l] = dual[l];
            }
            passes++;
        }

        // Bound: Σ dual·cap + the pricing term, over every arc of the component (valid for any duals ≥ 0).
        var whole = new Component(market, arcs, localOfTown);
        whole.SetBuckets(4);
        var (_, term) = whole.Price(firstPassDuals, 1e-7, 0, ct);
        var bound = whole.Listings.Sum(l => firstPassDuals[l] * market.Cap[l]) + term;
        var objective = chosen.Sum(x => x.Value * x.Column.Profit);
        return new Outcome(chosen, objective, Math.Max(bound, objective), generated, $"regions×{passes}");
    }

    /// <summary>Recursive median split on latitude then longitude (or the reverse), down to ≤ maxSize towns.</summary>
    private static List<int[]> Bisect(Market m, int[] towns, int maxSize, bool latFirst)
    {
        var result = new List<int[]>();
        Split(towns, latFirst);
        return result;

        void Split(int[] part, bool byLat)
        {
            if (part.Length <= maxSize) { result.Add(part); return; }
            var sorted = part.OrderBy(t => byLat ? m.Book.Towns[t].Lat : m.Book.Towns[t].Lon).ThenBy(t => t).ToArray();
            var half = sorted.Length / 2;
            Split(sorted[..half], !byLat);
            Split(sorted[half..], !byLat);
        }
    }
}
