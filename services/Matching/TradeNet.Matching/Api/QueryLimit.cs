using System.Globalization;

namespace TradeNet.Matching.Api;

/// <summary>Parses a <c>limit</c> query parameter here rather than by binding it to an int, whose failure
/// answers 400 without naming the parameter.</summary>
internal static class QueryLimit
{
    public static bool TryParse(string? text, int fallback, int max, out int limit)
    {
        limit = fallback;
        if (string.IsNullOrEmpty(text)) return true;
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= max;
    }
}
