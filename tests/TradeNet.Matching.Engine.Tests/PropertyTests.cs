using CsCheck;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class PropertyTests
{
    [Fact]
    public void Every_result_on_a_random_small_book_obeys_every_rule() => ObeysEveryRule(RandomBooks.Small);

    [Fact]
    public void Every_result_on_a_random_small_book_with_donors_obeys_every_rule() => ObeysEveryRule(RandomBooks.WithDonors(RandomBooks.Small));

    [Fact]
    public void On_tiny_whole_lot_books_the_engine_equals_the_brute_force_optimum() => EqualsTheBruteForceOptimum(RandomBooks.WholeLots);

    [Fact]
    public void On_tiny_whole_lot_books_with_donors_the_engine_equals_the_brute_force_optimum_over_cycles_and_chains() =>
        EqualsTheBruteForceOptimum(RandomBooks.WithDonors(RandomBooks.WholeLots));

    private static void ObeysEveryRule(Gen<Book> books) => books.Sample(book =>
    {
        var result = ClearingEngine.Solve(book);
        TestBooks.AssertValid(book, result);
        Assert.True(result.Objective >= GreedyBilateral.Solve(book).Objective - 1e-6);
    }, iter: 150);

    private static void EqualsTheBruteForceOptimum(Gen<Book> books) => books.Sample(book =>
    {
        var result = ClearingEngine.Solve(book);
        TestBooks.AssertValid(book, result);
        Assert.Equal(BruteForce.WholeLotOptimum(book), result.Objective, 6);
        Assert.Equal(SolveStatus.Optimal, result.Status);
    }, iter: 150);

    [Fact]
    public void Every_result_on_a_random_small_book_in_pieces_is_valid_and_whole()
    {
        var traded = 0;
        RandomBooks.SmallPieces.Sample(book =>
        {
            var result = ClearingEngine.Solve(book);
            TestBooks.AssertValid(book, result); // with the book's whole pieces on, the validator checks every piece leg
            Assert.True(result.Objective >= GreedyBilateral.Solve(book).Objective - 1e-6);
            if (result.Trades.Any(t => t.Legs.Count(l => book.Categories.Single(c => c.Id == l.Category).Unit == "piece") >= 2)) Interlocked.Increment(ref traded);
        }, iter: 150, threads: 1);
        Assert.True(traded >= 5, $"only {traded} books traded two legs in pieces"); // the books do exercise steps
    }

    [Fact]
    public void Every_result_on_a_random_small_book_in_pieces_with_donors_is_valid_and_whole() =>
        RandomBooks.WithDonors(RandomBooks.SmallPieces).Sample(book =>
        {
            var result = ClearingEngine.Solve(book);
            TestBooks.AssertValid(book, result);
            Assert.True(result.Objective >= GreedyBilateral.Solve(book).Objective - 1e-6);
        }, iter: 100);

    [Fact]
    public void On_tiny_books_in_pieces_the_engine_equals_the_brute_force_whole_piece_optimum()
    {
        var traded = 0;
        RandomBooks.TinyPieces.Sample(book =>
        {
            var result = ClearingEngine.Solve(book);
            TestBooks.AssertValid(book, result);
            var optimum = BruteForce.WholePieceOptimum(book);
            Assert.Equal(optimum, result.Objective, 6);
            Assert.True(result.Bound >= optimum - 1e-6);
            if (optimum > 0) Interlocked.Increment(ref traded);
        }, iter: 300, threads: 1);
        Assert.True(traded >= 30, $"only {traded} books traded at all");
    }

    [Fact]
    public void On_tiny_books_in_pieces_a_cut_solve_is_still_whole_under_a_bound_above_the_brute_force_optimum() =>
        RandomBooks.TinyPieces.Sample(book =>
        {
            var result = ClearingEngine.Solve(book, new SolveOptions { TimeLimit = TimeSpan.FromMilliseconds(1) });
            TestBooks.AssertValid(book, result);
            Assert.True(result.Bound >= BruteForce.WholePieceOptimum(book) - 1e-6);
        }, iter: 60);

    [Fact]
    public void The_bound_is_never_below_the_brute_force_optimum()
    {
        RandomBooks.WholeLots.Sample(book =>
        {
            var result = ClearingEngine.Solve(book, new SolveOptions { TimeLimit = TimeSpan.FromMilliseconds(1) });
            Assert.True(result.Bound >= BruteForce.WholeLotOptimum(book) - 1e-6);
        }, iter: 60);
    }
}

/// <summary>Exhaustive search for whole-lot books (every listing is one unit of value 1, used at most once).</summary>
internal static class BruteForce
{
    /// <summary>Tiny books in pieces (no distance limits, attributes or donors): every simple cycle of listings, each
    /// carrying a whole number of its steps (the lcm of its goods' values per piece) from its lot up, within quantities.</summary>
    public static double WholePieceOptimum(Book book)
    {
        var k = book.Settings!.MaxCycleLength;
        var value = book.Categories.ToDictionary(c => c.Id, c => c.Value);
        var offers = book.Listings.Where(l => l.Kind == ListingKind.Offer).ToList();
        var needs = book.Listings.Where(l => l.Kind == ListingKind.Need).ToList();
        var order = book.Towns.Select((t, i) => (t.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var cycles = new List<(Listing[] Listings, double Step, double Min)>();
        foreach (var start in book.Towns) Extend(start.Id, start.Id, [], [start.Id]);
        void Extend(string start, string at, List<Listing> used, List<string> path)
        {
            foreach (var o in offers.Where(o => o.Town == at))
                foreach (var n in needs.Where(n => n.Category == o.Category && n.Town != at))
                {
                    var legs = new List<Listing>(used) { o, n };
                    if (n.Town == start && path.Count >= 2) { cycles.Add(Cycle(legs)); continue; }
                    if (n.Town == start || path.Contains(n.Town) || order[n.Town] < order[start] || path.Count >= k) continue;
                    Extend(start, n.Town, legs, [.. path, n.Town]);
                }
        }
        (Listing[], double, double) Cycle(List<Listing> legs)
        {
            var values = legs.Select(l => value[l.Category]).Distinct().Select(v => (long)v).ToList();
            var step = values.Aggregate(1L, (a, b) => a / Gcd(a, b) * b);
            var min = legs.Max(l => Math.Ceiling(l.MinLot) * value[l.Category]);
            return (legs.ToArray(), step, Math.Max(step, Math.Ceiling(min / step) * step));
        }
        static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
        var left = book.Listings.ToDictionary(l => l.Id, l => l.Quantity * value[l.Category]);
        var best = 0.0;
        var free = left.Values.Sum();
        Search(0, 0);
        return best;
        void Search(int c, double total)
        {
            best = Math.Max(best, total);
            // Each credit of objective takes one of an offer and one of a need: what is left can add at most half of it.
            if (c == cycles.Count || total + free / 2 <= best + 1e-9) return;
            Search(c + 1, total);
            var (listings, step, min) = cycles[c];
            var most = listings.Min(l => left[l.Id]);
            for (var v = min; v <= most + 1e-9; v += step)
            {
                foreach (var l in listings) left[l.Id] -= v;
                free -= v * listings.Length;
                Search(c + 1, total + v * listings.Length / 2);
                free += v * listings.Length;
                foreach (var l in listings) left[l.Id] += v;
            }
        }
    }

    public static double WholeLotOptimum(Book book)
    {
        var k = (book.Settings ?? new Settings()).MaxCycleLength;
        var towns = book.Towns.ToDictionary(t => t.Id);
        var offers = book.Listings.Where(l => l.Kind == ListingKind.Offer).ToList();
        var needs = book.Listings.Where(l => l.Kind == ListingKind.Need).ToList();
        var townOrder = book.Towns.Select((t, i) => (t.Id, i)).ToDictionary(x => x.Id, x => x.i);
        // All simple cycles of listings: town sequence starts at its smallest town.
        var cycles = new List<string[]>();
        foreach (var start in book.Towns)
            Extend(start.Id, start.Id, [], [start.Id]);
        void Extend(string start, string at, List<string> used, List<string> path)
        {
            foreach (var o in offers.Where(o => o.Town == at))
                foreach (var n in needs.Where(n => Fit.Fits(o, towns[at], n, towns[n.Town], book.Settings!.DetourFactor)))
                {
                    var next = n.Town;
                    var legs = new List<string>(used) { o.Id, n.Id };
                    if (next == start && path.Count >= 2) { cycles.Add(legs.ToArray()); continue; }
                    if (next == start || path.Contains(next) || townOrder[next] < townOrder[start] || path.Count >= k) continue;
                    Extend(start, next, legs, [.. path, next]);
                }
        }
        // Chains: from each donor along 1..L legs through other towns, each town once; the last town gives nothing back.
        var chainCap = book.Settings!.MaxChainLength;
        foreach (var donor in book.Towns.Where(t => t.Donor && chainCap > 0))
            Chain(donor.Id, [], [donor.Id]);
        void Chain(string at, List<string> used, List<string> path)
        {
            foreach (var o in offers.Where(o => o.Town == at))
                foreach (var n in needs.Where(n => !path.Contains(n.Town) && Fit.Fits(o, towns[at], n, towns[n.Town], book.Settings!.DetourFactor)))
                {
                    var legs = new List<string>(used) { o.Id, n.Id };
                    cycles.Add(legs.ToArray());
                    if (legs.Count / 2 < chainCap) Chain(n.Town, legs, [.. path, n.Town]);
                }
        }
        // Best packing of listing-disjoint cycles and chains; each moves one unit per leg.
        var best = 0;
        Search(0, new HashSet<string>(), 0);
        return best;
        void Search(int i, HashSet<string> taken, int value)
        {
            best = Math.Max(best, value);
            for (var c = i; c < cycles.Count; c++)
            {
                if (cycles[c].Any(taken.Contains)) continue;
                foreach (var id in cycles[c]) taken.Add(id);
                Search(c + 1, taken, value + cycles[c].Length / 2);
                foreach (var id in cycles[c]) taken.Remove(id);
            }
        }
    }
}
