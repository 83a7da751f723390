using System.Globalization;

namespace TradeNet.Matching.Api;

/// <summary>Parses a <c>limit</c> query parameter here rather than by binding it to an int, whose failure
/// answers 400 without naming the parameter. Read as the shared <c>Paging.Size</c> reads it (trimmed digits only), so
/// every list of every service takes the same values.</summary>
internal static class QueryLimit
{
    public static bool TryParse(string? text, int fallback, int max, out int limit)
    {
        limit = fallback;
        if (string.IsNullOrWhiteSpace(text)) return true;
        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= max;
    }

    public static string Problem(int max) => $"must be a whole number from 1 to {max}";
}
