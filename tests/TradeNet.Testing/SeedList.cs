using System.Globalization;

namespace TradeNet.Testing;

/// <summary>The seeds an on-demand hunt is asked for, written "3", "1-40" or "1-5,9,12-14" (one spelling for every
/// hunt's environment variable).</summary>
public static class SeedList
{
    public static IReadOnlyList<int> Parse(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(part => part.Split('-') is [var from, var to]
                ? Enumerable.Range(Int(from), Int(to) - Int(from) + 1)
                : [Int(part)])
            .ToList();

    /// <summary>The seeds <paramref name="variable"/> lists; <paramref name="unset"/> when it is unset or empty.</summary>
    public static IReadOnlyList<int> From(string variable, string unset = "1") =>
        Parse(Environment.GetEnvironmentVariable(variable) is { Length: > 0 } seeds ? seeds : unset);

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
}
