using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TradeNet.Shared.Data;

/// <summary>A real town of Auvergne-Rhône-Alpes (INSEE; La Poste / data.gouv.fr — Licence Ouverte 2.0).</summary>
public sealed record KnownTown(string InseeCode, string Name, string Department, double Lat, double Lon, int Population);

/// <summary>Reads the towns file shipped inside this assembly (see Data/README.md for its attribution).</summary>
public static partial class TownDirectory
{
    public const string Attribution =
        "Sources : INSEE (COG 2024, comparateur de territoires), La Poste / data.gouv.fr (base officielle des codes postaux) — Licence Ouverte 2.0";

    private static readonly Lazy<Rows> Towns = new(Load);

    /// <summary>The file's rows: communes, and Lyon's arrondissements in place of Lyon.</summary>
    public static IReadOnlyList<KnownTown> All => Towns.Value.All;

    /// <summary>The commune or arrondissement with this INSEE code, or null when the file (one region) does not have it.
    /// A commune the file holds only as its arrondissements (Lyon, 69123) is found too, as their mean point and
    /// summed population.</summary>
    public static KnownTown? Find(string inseeCode) => Towns.Value.ByCode.GetValueOrDefault(inseeCode);

    private sealed record Rows(IReadOnlyList<KnownTown> All, FrozenDictionary<string, KnownTown> ByCode);

    private static Rows Load()
    {
        using var stream = typeof(TownDirectory).Assembly.GetManifestResourceStream("TradeNet.Data.communes_ara.csv")
            ?? throw new InvalidOperationException("The towns file is missing from the assembly.");
        using var reader = new StreamReader(stream);
        reader.ReadLine(); // header
        var towns = new List<KnownTown>();
        var arrondissements = new List<(string Parent, KnownTown Part)>();
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(','); // the file has no quoted fields
            var town = new KnownTown(f[0], f[1], f[4], Parse(f[5]), Parse(f[6]), (int)Parse(f[7]));
            towns.Add(town);
            if (f[2] == "ARM" && f[3].Length > 0) arrondissements.Add((f[3], town));
        }
        var byCode = towns.ToDictionary(t => t.InseeCode);
        foreach (var city in arrondissements.GroupBy(a => a.Parent, a => a.Part).Where(g => !byCode.ContainsKey(g.Key)))
            byCode[city.Key] = new KnownTown(city.Key, Arrondissement().Replace(city.First().Name, ""), city.First().Department,
                city.Average(p => p.Lat), city.Average(p => p.Lon), city.Sum(p => p.Population));
        return new Rows(towns, byCode.ToFrozenDictionary());
    }

    [GeneratedRegex(@"\s+\d+(er|e) Arrondissement$")]
    private static partial Regex Arrondissement();

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
