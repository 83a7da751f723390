using System.Globalization;
using System.Text;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Application;

/// <summary>Whether a registration would bring a suspended town back under a new identity: the suspended town's INSEE code,
/// or its name (compared as <see cref="CompactKey"/> reads it) within <see cref="SamePlaceKm"/>. A suspension revokes the
/// town's key; without this, registering it again at once would hand it a fresh one.</summary>
public static class SuspendedLookalikes
{
    /// <summary>How close a town of the same name counts as the same place. A commune is at most ~20 km across and towns
    /// register at their centre, so a re-registration lands well within this; two communes of one name rarely do.</summary>
    public const double SamePlaceKm = 10;

    /// <summary>The suspended town the registration looks like, and how; read in the registration's own write.</summary>
    public static async Task<(Town Town, string Why)?> FindAsync(ICatalogSession session, string? inseeCode, string name, double lat,
        double lon, CancellationToken ct)
    {
        var suspended = await session.GetSuspendedTownsLikeAsync(inseeCode, GeoBox.Around(lat, lon, SamePlaceKm), ct);
        if (inseeCode is not null && suspended.FirstOrDefault(t => t.InseeCode == inseeCode) is { } sameCode)
            return (sameCode, $"its INSEE code {inseeCode}");
        var key = CompactKey(name);
        foreach (var town in suspended)
        {
            var km = Geo.HaversineKm(lat, lon, town.Lat, town.Lon);
            if (km <= SamePlaceKm && CompactKey(town.Name) == key)
                return (town, $"its name, {Math.Round(km, 1).ToString("0.#", CultureInfo.InvariantCulture)} km from these coordinates");
        }
        return null;
    }

    /// <summary>A name as people would tell it apart: without accents, case, punctuation or repeated spaces
    /// ("Saint-Étienne" and "saint etienne" are one name), letters that only look Latin read as the Latin ones
    /// (<see cref="LatinLookalikes"/>: "Ｓaint", "Sᴀint", "Juſt"), with the abbreviations French place names are written with
    /// spelled out ("St-Étienne", "Ste-Foy", "Mt-Dore"). The services run with invariant globalization, which does not
    /// decompose accented letters, so the Latin ones French and its neighbours use are folded here.</summary>
    public static string NameKey(string name) =>
        string.Join(' ', Words(name).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Abbreviations.GetValueOrDefault(w, w)));

    /// <summary>What a registration's name is compared by: <see cref="NameKey"/> without its spaces, so a name written as
    /// one word or several ("Saint-Étienne", "SaintÉtienne") is one name too.</summary>
    public static string CompactKey(string name) => NameKey(name).Replace(" ", "", StringComparison.Ordinal);

    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["st"] = "saint", ["ste"] = "sainte", ["sts"] = "saints", ["stes"] = "saintes", ["mt"] = "mont",
    };

    private static string Words(string name)
    {
        var builder = new StringBuilder(name.Length);
        var space = false;
        foreach (var rune in name.EnumerateRunes())
        {
            var r = LatinLookalikes.Fold(Rune.ToLowerInvariant(rune));
            // A name sent already decomposed ("e" and a combining accent) loses the accent.
            if (Rune.GetUnicodeCategory(r) == UnicodeCategory.NonSpacingMark) continue;
            if (!Rune.IsLetterOrDigit(r))
            {
                space = true;
                continue;
            }
            if (space && builder.Length > 0) builder.Append(' ');
            space = false;
            var c = r.IsBmp ? (char)r.Value : '\0';
            var folded = r.IsBmp ? Accented.IndexOf(c) : -1;
            builder.Append(c switch
            {
                'œ' => "oe",
                'æ' => "ae",
                'ß' => "ss",
                _ => folded >= 0 ? Plain[folded].ToString() : r.ToString(),
            });
        }
        return builder.ToString();
    }

    private const string Accented = "àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿžźż";
    private const string Plain =    "aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz";

    /// <summary>What the refused registration is told: which town, that it is suspended, and whom to contact.</summary>
    public static string Refusal(Town suspended, string why, string? contact) =>
        $"this registration matches town '{suspended.Id}' ({suspended.Name}) by {why}, and that town is suspended by the " +
        "network's operators: it cannot register again under a new identity while the suspension lasts. Contact " +
        $"{contact ?? "the network's operators"} to have the suspension reviewed; an operator can reinstate the town or register this one.";

    /// <summary>What a town renaming or moving itself into a suspended town's likeness is told (PUT /towns/{id}).</summary>
    public static string ChangeRefusal(Town suspended, string why, string? contact) =>
        $"this change would make the town match town '{suspended.Id}' ({suspended.Name}) by {why}, and that town is suspended by " +
        "the network's operators: no town takes on its name at its place while the suspension lasts. Contact " +
        $"{contact ?? "the network's operators"} to have the suspension reviewed; an operator can make this change.";
}
