using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Api;

/// <summary>Parses ids from the path in the handler rather than by route constraints: a constraint that fails
/// answers a bare 404, and before the caller is checked. The problem names the segment, never echoes it.</summary>
internal static class PathIds
{
    public static bool TryGuid(string text, string field, out Guid id, out ValidationProblem? problem)
    {
        problem = Guid.TryParse(text, out id) ? null : Problems.Field(field, "must be an id (GUID)");
        return problem is null;
    }

    /// <summary>Digits only: a leg index is never negative, signed or padded.</summary>
    public static bool TryIndex(string text, string field, out int index, out ValidationProblem? problem)
    {
        problem = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index)
            ? null
            : Problems.Field(field, "must be a leg index (a whole number from 0)");
        return problem is null;
    }
}
