using System.Globalization;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Benchmarks;

/// <summary>
/// <c>--pieces</c>: books over the catalog's categories, each solved twice with the same time limit — continuously and
/// then lowered to whole pieces the matching service's way (<see cref="ServiceLowering"/>), and with the engine's own
/// whole pieces (<see cref="SolveOptions.WholePieces"/>) — against the continuous bound, which bounds both.
/// </summary>
public static class Pieces
{
    public static void Run(IReadOnlyList<BookGenerator.Town> towns, int seed,
        IReadOnlyList<BookSpec> specs, BookGenerator.MinLots minLots, Action<string>? progress)
    {
        Console.WriteLine($"## Whole pieces: lowered continuous plan vs the engine's whole pieces (seed {seed}, catalog categories, {minLots.ToString().ToLowerInvariant()} min lots)");
        Console.WriteLine();
        Console.WriteLine("| book | listings | towns | K | limit s | bound | continuous | lowered | trades lowered / dropped of | gap lowered % | whole pieces | whole bound | gap whole % | whole / lowered | trades | seconds |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var spec in specs)
        {
            var book = BookGenerator.Generate(towns, spec.Listings, spec.Towns, seed, spec.K, minLots, BookGenerator.CatalogCategories);
            var limit = TimeSpan.FromSeconds(spec.Limit);
            var continuous = ClearingEngine.Solve(book, new SolveOptions { TimeLimit = limit, Progress = progress });
            var lowered = ServiceLowering.Lower(book, continuous.Trades);
            var whole = ClearingEngine.Solve(book, new SolveOptions { TimeLimit = limit, WholePieces = true, Progress = progress });
            // The continuous bound bounds every whole plan too; the whole solve's own bound may be tighter.
            var bound = continuous.Bound;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {spec.Name} | {book.Listings.Count} | {book.Towns.Count} | {spec.K} | {spec.Limit:F0} | {bound:F0} | {continuous.Objective:F0} | {lowered.Objective:F0} | {lowered.Lowered} / {lowered.Dropped} of {continuous.Trades.Count} | {100 * Gap(bound, lowered.Objective):F2} | {whole.Objective:F0} | {whole.Bound:F0} | {100 * Gap(Math.Min(bound, whole.Bound), whole.Objective):F2} | {whole.Objective / lowered.Objective:F3} | {whole.Trades.Count} | {continuous.Stats.Seconds:F1} + {whole.Stats.Seconds:F1} |"));
        }
        Console.WriteLine();
    }

    private static double Gap(double bound, double objective) => bound > 0 ? Math.Max(0, (bound - objective) / bound) : 0;
}
