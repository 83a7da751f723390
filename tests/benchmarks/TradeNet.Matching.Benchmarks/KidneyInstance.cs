using System.Globalization;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Benchmarks;

/// <summary>
/// A PrefLib kidney graph (.wmd, post-2022 layout) as a TradeNet book: each patient–donor pair is a town
/// with one offer (its donor) and one need (its patient), quantity 1 and min lot 1 (whole lots). The
/// compatibility u→v becomes the attribute "to:v" on u's offer, required by v's need. The weight-0 dummy
/// edges (pair → altruist) are always dropped; altruists are dropped too, unless <c>altruists</c> is set: then
/// each is a donor town with one offer (its donor), which starts chains.
/// </summary>
public static class KidneyInstance
{
    public static Book Parse(string text, bool altruists = false)
    {
        var names = new Dictionary<int, string>();
        var edges = new List<(int From, int To)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                const string tag = "# ALTERNATIVE NAME ";
                if (line.StartsWith(tag, StringComparison.Ordinal))
                {
                    var colon = line.IndexOf(':');
                    var id = int.Parse(line[tag.Length..colon], CultureInfo.InvariantCulture);
                    names[id] = line[(colon + 1)..].Trim();
                }
                continue;
            }
            var parts = line.Split(',');
            if (parts.Length != 3) throw new FormatException($"bad edge line '{line}'");
            var weight = double.Parse(parts[2], CultureInfo.InvariantCulture);
            if (weight <= 0) continue; // dummy pair→altruist edge
            edges.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture)));
        }
        var pairs = names.Where(kv => kv.Value.StartsWith("Pair", StringComparison.Ordinal)).Select(kv => kv.Key).Order().ToList();
        var isPair = pairs.ToHashSet();
        var donors = altruists ? names.Where(kv => !isPair.Contains(kv.Key)).Select(kv => kv.Key).Order().ToList() : [];
        var compatible = pairs.Concat(donors).ToDictionary(p => p, _ => new List<string>());
        foreach (var (u, v) in edges)
            if (compatible.ContainsKey(u) && isPair.Contains(v) && u != v) compatible[u].Add($"to:{v}");

        var listings = new List<Listing>();
        var towns = pairs.Select(p => new Town($"P{p}", $"Pair {p}", 0, 0)).ToList();
        foreach (var a in donors)
        {
            towns.Add(new Town($"A{a}", $"Altruist {a}", 0, 0, Donor: true));
            listings.Add(new Listing($"D{a}", $"A{a}", ListingKind.Offer, "kidney", 1, 1, Attributes: compatible[a]));
        }
        foreach (var p in pairs)
        {
            listings.Add(new Listing($"D{p}", $"P{p}", ListingKind.Offer, "kidney", 1, 1, Attributes: compatible[p]));
            listings.Add(new Listing($"R{p}", $"P{p}", ListingKind.Need, "kidney", 1, 1, Requires: [$"to:{p}"]));
        }
        return new Book([new Category("kidney", "pair", 1)], towns, listings, new Settings(3, 1.0));
    }

    /// <summary>The PrefLib files in <paramref name="dir"/>, in name order; none when the folder is not there (the files
    /// are not in this repository, so a checkout without them beside it has none).</summary>
    public static IReadOnlyList<string> Files(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir, "*.wmd").Order(StringComparer.Ordinal).ToArray() : [];

    /// <summary>Why the kidney part cannot run on <paramref name="dir"/> (no PrefLib file there), or null: said before any
    /// part runs, instead of a stack trace from the folder's listing (or, on the plain command, after the books).</summary>
    public static string? Missing(string dir) => Files(dir).Count > 0 ? null
        : $"no PrefLib kidney files (*.wmd) in {dir}: they are not in this repository; pass --kidney DIR "
          + "(tests/TradeNet.Matching.Engine.Tests/Data/kidney holds two) or run --only books";

    /// <summary>Transplants = legs used (each leg moves value 1).</summary>
    public static int Transplants(ClearingResult r) => (int)Math.Round(r.Objective);

    /// <summary>Reference optima from shared/benchmarks/kidney/README.md: cycle-only columns K = 2, 3, 4 as (file, K, 0),
    /// the chain column "K=3, L=3" as (file, 3, 3).</summary>
    public static IReadOnlyDictionary<(string File, int K, int L), int> ParseReadmeOptima(string readme)
    {
        var result = new Dictionary<(string, int, int), int>();
        foreach (var line in readme.Split('\n'))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 6 || !cells[1].StartsWith("00036-", StringComparison.Ordinal)) continue;
            for (var column = 2; column <= 5; column++)
            {
                var cell = cells[column].Replace("*", "");
                var token = cell.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                if (token is not null && int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
                    result[column == 5 ? (cells[1], 3, 3) : (cells[1], column, 0)] = v;
            }
        }
        return result;
    }
}
