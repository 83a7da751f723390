using System.Globalization;
using TradeNet.Catalog.Api;
using TradeNet.Shared.Data;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Application;

/// <summary>The town rules: registration and a change share them (name, position, specialties, a known INSEE code's
/// distance).</summary>
public static partial class CatalogValidation
{
    public static Dictionary<string, string[]> Town(RegisterTownRequest r)
    {
        var errors = new Errors();
        CheckName(errors, r.Name);
        if (r.InseeCode is not null && !InseeCode().IsMatch(r.InseeCode))
            errors.Add("inseeCode", "must be a 5-character INSEE code (digits, or 2A/2B for Corsica)");
        CheckPosition(errors, r.Lat, r.Lon);
        if (!errors.Has("inseeCode") && !errors.Has("lat") && !errors.Has("lon")
            && KnownTownTooFar(r.InseeCode, r.Lat!.Value, r.Lon!.Value) is { } tooFar)
            errors.Add("inseeCode", tooFar + " (correct lat/lon, or leave inseeCode out)");
        CheckSpecialties(errors, r.Specialties);
        return errors.Result;
    }

    /// <summary>A change replaces the whole town (PUT), so every field registration requires is required again, and
    /// specialties too (send [] for none: left out, whether to keep or clear them would be a guess). The INSEE code
    /// stays: a town registered with a known commune's code must stay within <see cref="MaxKmFromKnownTown"/> of it, the
    /// rule registration applied, so a move cannot carry Roanne's code (and maybe its id 42187) elsewhere.</summary>
    public static Dictionary<string, string[]> TownChange(ChangeTownRequest r, string? inseeCode)
    {
        var errors = new Errors();
        CheckName(errors, r.Name);
        CheckPosition(errors, r.Lat, r.Lon);
        if (!errors.Has("lat") && !errors.Has("lon") && KnownTownTooFar(inseeCode, r.Lat!.Value, r.Lon!.Value) is { } tooFar)
        {
            // The code is fixed, so the position is what must change: both coordinates are named.
            var message = $"the town's INSEE code {inseeCode} {tooFar} (the code cannot change: a town elsewhere registers anew without it)";
            errors.Add("lat", message);
            errors.Add("lon", message);
        }
        if (r.Specialties is null) errors.Add("specialties", "is required (send [] for none): a PUT replaces the whole town");
        else CheckSpecialties(errors, r.Specialties);
        return errors.Result;
    }

    private static void CheckName(Errors errors, string? raw)
    {
        var name = raw?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("name", "is required");
        else if (name.Length > MaxNameLength) errors.Add("name", $"must be at most {MaxNameLength} characters");
        // Names end up in logs, traces and other towns' screens: a control character could forge a line there.
        else if (TextRules.HasUnsafeCharacters(name)) errors.Add("name", "must not contain control characters");
        // Trim leaves zero-width and other invisible characters: a name of those alone showed as blank in every list.
        else if (!TextRules.HasLetterOrDigit(name)) errors.Add("name", "must contain a letter or digit");
    }

    private static void CheckPosition(Errors errors, double? rawLat, double? rawLon)
    {
        if (rawLat is not { } lat) errors.Add("lat", "is required");
        else if (!double.IsFinite(lat) || lat is < -90 or > 90) errors.Add("lat", "must be between -90 and 90");
        if (rawLon is not { } lon) errors.Add("lon", "is required");
        else if (!double.IsFinite(lon) || lon is < -180 or > 180) errors.Add("lon", "must be between -180 and 180");
    }

    private static void CheckSpecialties(Errors errors, string[]? raw)
    {
        var specialties = raw ?? [];
        if (specialties.Length > MaxTags) errors.Add("specialties", $"at most {MaxTags}");
        else if (specialties.Any(s => string.IsNullOrWhiteSpace(s) || s.Trim().Length > 60))
            errors.Add("specialties", "each must be 1 to 60 characters");
        else if (specialties.Any(TextRules.HasUnsafeCharacters))
            errors.Add("specialties", "must not contain control characters");
        else if (!specialties.All(TextRules.HasLetterOrDigit)) errors.Add("specialties", "each must contain a letter or digit");
    }

    /// <summary>Specialties as a town keeps them: trimmed, without repeats, in the order given. A repeat is the same
    /// word in any case (as listing tags compare), kept as first spelt: "Wine" and "wine" showed as two specialties.</summary>
    public static string[] Specialties(string[]? specialties) =>
        (specialties ?? []).Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>A real commune is at most ~20 km across: a town claiming its INSEE code (and with it, when free, the id
    /// 42187 that others read as Roanne) must lie this close to the commune's coordinates.</summary>
    public const double MaxKmFromKnownTown = 25;

    /// <summary>Why the coordinates cannot be the commune's with this code, or null. Codes the directory does not know
    /// (it covers one region) are taken on trust.</summary>
    private static string? KnownTownTooFar(string? inseeCode, double lat, double lon)
    {
        if (inseeCode is null || TownDirectory.Find(inseeCode) is not { } known) return null;
        var km = Geo.HaversineKm(lat, lon, known.Lat, known.Lon);
        return km <= MaxKmFromKnownTown ? null
            : $"is the code of {known.Name} ({known.Lat.ToString(CultureInfo.InvariantCulture)}, {known.Lon.ToString(CultureInfo.InvariantCulture)}), " +
              $"{Math.Round(km):0} km from lat/lon; a town with this code must lie within {MaxKmFromKnownTown:0} km of it";
    }
}
