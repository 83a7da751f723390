using System.Globalization;
using Xunit;

namespace TradeNet.Testing;

/// <summary>The orders a hunt delivers one entity's events in: every permutation of a short sequence, or a seeded sample of
/// a longer one (the same seed, the same orders, so a failure can be replayed).</summary>
public static class EventOrders
{
    /// <summary>Set (say, <c>1-5</c> or <c>7</c>) to run the heavy event-order variants: every permutation of the longer
    /// sequences and duplicates in every position, once per seed.</summary>
    public const string SeedsVariable = "TRADENET_EVENT_ORDER_SEEDS";

    /// <summary>Every order of <paramref name="items"/>, the given order first.</summary>
    public static IReadOnlyList<T[]> Permutations<T>(IReadOnlyList<T> items)
    {
        var all = new List<T[]>();
        Permute(items.ToList(), 0, all);
        return all;
    }

    /// <summary><paramref name="count"/> distinct orders chosen by <paramref name="seed"/>, the given order first (the reference).</summary>
    public static IReadOnlyList<T[]> Sample<T>(IReadOnlyList<T> items, int seed, int count)
    {
        var all = Permutations(items);
        var random = new Random(seed);
        return all.Take(1).Concat(all.Skip(1).OrderBy(_ => random.Next()).Take(count - 1)).ToList();
    }

    /// <summary>The seeds of the heavy variant, or none when <see cref="SeedsVariable"/> is unset.</summary>
    public static IReadOnlyList<int> HeavySeeds()
    {
        var text = Environment.GetEnvironmentVariable(SeedsVariable);
        if (string.IsNullOrWhiteSpace(text)) return [];
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            var first = int.Parse(range[0], CultureInfo.InvariantCulture);
            var last = range.Length > 1 ? int.Parse(range[1], CultureInfo.InvariantCulture) : first;
            for (var s = first; s <= last; s++) seeds.Add(s);
        }
        return seeds;
    }

    private static void Permute<T>(List<T> items, int from, List<T[]> into)
    {
        if (from >= items.Count - 1)
        {
            into.Add(items.ToArray());
            return;
        }
        for (var i = from; i < items.Count; i++)
        {
            (items[from], items[i]) = (items[i], items[from]);
            Permute(items, from + 1, into);
            (items[from], items[i]) = (items[i], items[from]);
        }
    }
}

/// <summary>A fact run only when <see cref="EventOrders.SeedsVariable"/> is set: the heavy event-order hunt.</summary>
public sealed class HeavyEventOrderFactAttribute : FactAttribute
{
    public HeavyEventOrderFactAttribute()
    {
        if (EventOrders.HeavySeeds().Count == 0)
            Skip = $"On demand: set {EventOrders.SeedsVariable} (e.g. 1-5) to deliver every order of the longer event sequences.";
    }
}
