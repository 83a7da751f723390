using System.Globalization;
using System.Text.RegularExpressions;

namespace TradeNet.Matching.Benchmarks;

/// <summary>One generated book of the benchmark: its name, size, cycle cap and time limit in seconds.</summary>
public readonly record struct BookSpec(string Name, int Listings, int Towns, int K, double Limit);

/// <summary>The books <c>--books</c> names: the issue's five targets, or <c>N</c> / <c>NkK</c> for N listings on
/// N × 3 / 40 towns (the 2,000-listing books' density) with cycles of up to K towns and 20 s.</summary>
public static partial class BookSpecs
{
    public const string Default = "300,2000,2000k4,10000,40000";

    /// <summary>Time limit = the issue's target.</summary>
    public static readonly IReadOnlyList<BookSpec> Targets =
    [
        new("300", 300, 30, 3, 2), new("2000", 2_000, 150, 3, 5), new("2000k4", 2_000, 150, 4, 20),
        new("10000", 10_000, 600, 3, 30), new("40000", 40_000, 2_000, 3, 120),
    ];

    /// <summary>The books of <paramref name="list"/> (comma-separated) with <c>--time-limit</c> and <c>--town-count</c>
    /// applied; <paramref name="customOnly"/> reads every name as N / NkK (the <c>--pieces</c> books). Throws
    /// <see cref="ArgumentException"/> naming a book it does not know or one its towns cannot hold.</summary>
    public static IReadOnlyList<BookSpec> Select(string? list, double? timeLimit = null, int? townCount = null, bool customOnly = false) =>
        (list ?? Default).Split(',').Select(name =>
        {
            var spec = customOnly ? Custom(name) : Targets.FirstOrDefault(t => t.Name == name) is { Name: not null } target ? target : Custom(name);
            spec = spec with { Limit = timeLimit ?? spec.Limit, Towns = townCount ?? spec.Towns };
            // The generator gives every town at least two listings: fewer listings than that could never be placed.
            if (spec.Listings < 2 * spec.Towns)
                throw new ArgumentException($"book {name}: {spec.Listings} listings cannot fill {spec.Towns} towns (at least 2 each)");
            return spec;
        }).ToArray();

    private static BookSpec Custom(string name)
    {
        var match = CustomName().Match(name);
        if (!match.Success) throw new ArgumentException($"unknown book '{name}': use {Default}, N or NkK (K 2..4)");
        if (!int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var listings) || listings < 2)
            throw new ArgumentException($"book '{name}': the number of listings must be a whole number from 2 to {int.MaxValue}");
        var k = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 3;
        // At least 2 towns (1 for a 2- or 3-listing book), never more than the listings can fill.
        return new BookSpec(name, listings, Math.Min(listings / 2, Math.Max(2, (int)((long)listings * 3 / 40))), k, 20);
    }

    [GeneratedRegex(@"^(\d+)(?:k([2-4]))?$")]
    private static partial Regex CustomName();
}
