namespace TradeNet.Matching.Engine;

internal sealed partial class ComponentSolver
{
    /// <summary>How fix and re-solve decides: columns at <paramref name="Lift"/> of their lot or more are pushed up
    /// to it; under <paramref name="Off"/> × (round + 1) of it they are switched off; round
    /// <paramref name="DecideAllRound"/> (or the last the budget allows) decides the rest; the first
    /// <paramref name="PricedRounds"/> rounds price new cycles around the choices.</summary>
    private sealed record ResolvePolicy(double Lift, double Off, int DecideAllRound, int PricedRounds)
    {
        /// <summary>PDLP: solves take seconds, so few rounds. Pricing in the first three lets the LP replace what each
        /// batch switches off (10,000 listings: 0.73–0.78 % instead of 0.83 % with pricing after the first only); the
        /// round that decides the rest prices nothing, as its new columns would come in undecided.</summary>
        public static readonly ResolvePolicy FirstOrder = new(0.5, 0.15, 4, 3);

        /// <summary>Simplex: rounds take a tenth of a second, so small steps and pricing every round.</summary>
        public static readonly ResolvePolicy Simplex = new(0.8, 0.05, 20, int.MaxValue);
    }

    /// <summary>
    /// Fix and re-solve, for components too big for the neighbourhood MIPs and for 4-cycles (whose LP columns
    /// alone cannot get near the bound): columns whose LP amount meets their min lot are kept on (at least
    /// the lot), the others are pushed up to their lot when enough of it is there and the lots still fit
    /// every listing, or switched off; then the LP re-optimises every amount around those choices while
    /// pricing brings cycles that now pay. Repeated until no column is left below its lot. Rounding decides
    /// all at once on the first LP; this lets the LP answer each batch.
    /// </summary>
    /// <returns>A plan: the last LP's amounts on the columns it chose, repaired to fit exactly; or null.</returns>
    private double[]? FixAndResolve(MasterLp lp, double[] lpValues, Deadline budget, int maxColumns, ResolvePolicy policy)
    {
        var columns = lp.Columns;
        var savedDuals = comp.Listings.Select(l => dual[l]).ToArray();
        var decided = new HashSet<int>();
        var load = new double[m.Cap.Length];
        var x = Grown((double[])lpValues.Clone(), columns.Count);
        double[]? last = null;
        var on = new HashSet<int>();
        try
        {
            // How long the last decide-and-solve took, and the last pricing (its re-solve counts as one more solve).
            TimeSpan lastSolve = TimeSpan.Zero, lastPricing = TimeSpan.Zero;
            for (var round = 0; !budget.Expired; round++)
            {
                ct.ThrowIfCancellationRequested();
                var remaining = budget.RemainingOr(TimeSpan.MaxValue);
                // A round that cannot finish in what is left would only throw its solve away.
                if (remaining < lastSolve * 0.8) break;
                // Undecided columns left at the end are dropped without the LP's say (10,000 listings: 1.2 % instead
                // of 0.8 %), so this round decides all unless one more solve still fits after it.
                var decideAll = round >= policy.DecideAllRound || remaining < lastSolve * 2.4;
                var roundStart = deadline.Elapsed;
                var below = new List<int>();
                var kept = 0;
                for (var i = 0; i < columns.Count; i++)
                {
                    var c = columns[i];
                    if (c.Continuous || decided.Contains(i)) continue;
                    if (x[i] >= c.Min * (1 - 1e-3) && Fits(c)) { TurnOn(i); kept++; }
                    else if (x[i] > 1e-3 * c.Min) below.Add(i);
                    // Unused now, off for good: otherwise each re-solve spreads onto fresh columns below their lots.
                    else { decided.Add(i); lp.SetBounds(i, 0, 0); }
                }
                if (below.Count == 0) { last = x; break; }
                var lifted = 0;
                foreach (var i in below.OrderByDescending(i => x[i] / columns[i].Min).ThenBy(i => i))
                {
                    var fits = Fits(columns[i]);
                    if (x[i] >= policy.Lift * columns[i].Min && fits) { TurnOn(i); lifted++; }
                    // The lots already on only grow, so a column whose lot does not fit now never will.
                    else if (!fits || x[i] < policy.Off * (round + 1) * columns[i].Min || decideAll) { decided.Add(i); lp.SetBounds(i, 0, 0); }
                }
                if (!lp.Solve(budget.RemainingOr(TimeSpan.FromMinutes(1)), ct: ct)) break;
                lastSolve = deadline.Elapsed - roundStart;
                x = Grown(lp.Values(), columns.Count);
                last = x;
                var added = 0;
                // New columns come in undecided: pointless once everything has been decided, and only worth it
                // while their re-solve and then a round that decides all still fit.
                if (round < policy.PricedRounds && !decideAll && budget.RemainingOr(TimeSpan.MaxValue) > lastPricing + lastSolve * 2.4)
                {
                    var pricingStart = deadline.Elapsed;
                    lp.Duals(dual);
                    var (found, _) = comp.Price(dual, PricingEps, maxColumns, ct);
                    added = found.Count(f => { var c = Column.Create(m, f.Legs); return c.Min <= c.Upper && lp.Add(c); });
                    if (added > 0 && !lp.Solve(budget.RemainingOr(TimeSpan.FromMinutes(1)), ct: ct)) break;
                    lastPricing = deadline.Elapsed - pricingStart - lastSolve;
                    x = Grown(lp.Values(), columns.Count);
                    last = x;
                }
                Trace($"  resolve {round}: kept {kept}, lifted {lifted}, below {below.Count}, all {decideAll}, added {added}, lp {lp.Objective:F1}, t={deadline.Elapsed.TotalSeconds:F2}");
            }
        }
        finally
        {
            for (var i = 0; i < columns.Count; i++) if (!columns[i].Continuous) lp.SetBounds(i, 0, double.PositiveInfinity);
            for (var k = 0; k < comp.Listings.Length; k++) dual[comp.Listings[k]] = savedDuals[k];
        }
        return last is null ? null : Realize(columns, last, on);

        bool Fits(Column c) => LotFits(load, c);
        void TurnOn(int i)
        {
            decided.Add(i);
            on.Add(i);
            AddLot(load, columns[i]);
            lp.SetBounds(i, columns[i].Min, double.PositiveInfinity);
        }
    }

    /// <summary>
    /// Turns the LP's amounts into a plan that fits exactly: PDLP meets capacities only to its tolerance, and
    /// cutting the excess off whichever column comes last would drop it below its lot. The chosen columns'
    /// lots fit every listing together, so the excess always comes out of amounts above the lots.
    /// </summary>
    private double[] Realize(List<Column> columns, double[] x, HashSet<int> on)
    {
        var y = new double[columns.Count];
        var load = new double[m.Cap.Length];
        foreach (var i in on) AddLot(load, columns[i]);
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            if (i >= x.Length || x[i] <= 0) continue;
            if (c.Continuous || on.Contains(i)) { y[i] = Math.Max(x[i], c.Min); continue; }
            // Chosen by the last LP but not yet locked: keep it when its lot still fits.
            if (x[i] < c.Min * (1 - 1e-3) || !LotFits(load, c)) continue;
            AddLot(load, c);
            y[i] = Math.Max(x[i], c.Min);
        }
        var through = new Dictionary<int, List<int>>();
        var usage = new double[m.Cap.Length];
        for (var i = 0; i < y.Length; i++)
            if (y[i] > 0)
                foreach (var l in columns[i].Listings(m))
                {
                    usage[l] += y[i];
                    (through.TryGetValue(l, out var list) ? list : through[l] = []).Add(i);
                }
        foreach (var (l, users) in through)
        {
            var excess = usage[l] - m.Cap[l];
            foreach (var i in users.OrderByDescending(i => y[i] - columns[i].Min).ThenBy(i => i))
            {
                if (excess <= 0) break;
                var cut = Math.Min(excess, y[i] - columns[i].Min);
                if (cut <= 0) break;
                y[i] -= cut;
                excess -= cut;
                foreach (var other in columns[i].Listings(m)) usage[other] -= cut;
            }
        }
        return Sanitize(columns, y);
    }

    /// <summary>Whether <paramref name="c"/>'s min lot still fits every listing it uses, on top of the lots in <paramref name="load"/>.</summary>
    private bool LotFits(double[] load, Column c) => c.Listings(m).All(l => load[l] + c.Min <= m.Cap[l] * (1 - 1e-9));

    private void AddLot(double[] load, Column c)
    {
        foreach (var l in c.Listings(m)) load[l] += c.Min;
    }
}
