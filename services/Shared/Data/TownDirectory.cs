using System.Globalization;

namespace TradeNet.Shared.Data;

/// <summary>A real town of Auvergne-Rhône-Alpes (INSEE; La Poste / data.gouv.fr — Licence Ouverte 2.0).</summary>
public sealed record KnownTown(string InseeCode, string Name, string Department, double Lat, double Lon, int Population);

/// <summary>Reads the towns file shipped inside this assembly (see Data/README.md for its attribution).</summary>
public static class TownDirectory
{
    public const string Attribution =
        "Sources : INSEE (COG 2024, comparateur de territoires), La Poste / data.gouv.fr (base officielle des codes postaux) — Licence Ouverte 2.0";

    private static readonly Lazy<IReadOnlyList<KnownTown>> Towns = new(Load);

    public static IReadOnlyList<KnownTown> All => Towns.Value;

    public static KnownTown? Find(string inseeCode) => All.FirstOrDefault(t => t.InseeCode == inseeCode);

    private static IReadOnlyList<KnownTown> Load()
    {
        using var stream = typeof(TownDirectory).Assembly.GetManifestResourceStream("TradeNet.Data.communes_ara.csv")
            ?? throw new InvalidOperationException("The towns file is missing from the assembly.");
        using var reader = new StreamReader(stream);
        reader.ReadLine(); // header
        var towns = new List<KnownTown>();
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(','); // the file has no quoted fields
            towns.Add(new KnownTown(f[0], f[1], f[4], Parse(f[5]), Parse(f[6]), (int)Parse(f[7])));
        }
        return towns;
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
