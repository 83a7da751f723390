using System.Globalization;

namespace TradeNet.Shared.Hosting;

/// <summary>The rules for free text (names, reasons, category ids) that reaches logs, events, route sheets and
/// other towns' screens: no character that could forge a line there or make text read other than it is stored.</summary>
public static class TextRules
{
    /// <summary>What is wrong with the (trimmed) text, or null when it is fine.</summary>
    public static string? RequiredLineError(string? text, int maxLength) => text switch
    {
        null or "" => "is required",
        _ when text.Length > maxLength => $"must be at most {maxLength} characters",
        _ when HasUnsafeCharacters(text) => "must not contain control characters",
        _ when !HasLetterOrDigit(text) => "must contain a letter or digit",
        _ => null,
    };

    /// <summary>Whether the text shows anything a reader could tell apart: a zero-width space, a byte-order mark, a soft
    /// hyphen or a lone combining accent is not whitespace to <see cref="string.Trim()"/>, yet displays as nothing, so a
    /// name or reason of those alone read as blank on every screen it reached.</summary>
    public static bool HasLetterOrDigit(string text) => text.EnumerateRunes().Any(System.Text.Rune.IsLetterOrDigit);

    /// <summary>1 to <paramref name="maxLength"/> printable ASCII characters without spaces: what the keys a client sends
    /// in headers are (API keys, idempotency keys).</summary>
    public static bool IsToken(string text, int maxLength) => text.Length > 0 && text.Length <= maxLength && text.All(c => c is > ' ' and <= '~');

    /// <summary>Whether an id taken from a request path may be repeated in an answer: one that could be an id (short,
    /// printable) is, so the caller sees which one was meant; anything else is not echoed into messages and logs.</summary>
    public static bool IsQuotableId(string id, int maxLength = 100) =>
        id.Length <= maxLength && !string.IsNullOrWhiteSpace(id) && !HasUnsafeCharacters(id);

    /// <summary>True when the text holds a control character (C0, C1), a line or paragraph separator (U+2028,
    /// U+2029: line breaks to many log viewers and JavaScript), a bidirectional control (which makes
    /// "Lyon‮nnaoR" display reversed) or half a surrogate pair (not text at all).</summary>
    public static bool HasUnsafeCharacters(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c) || char.IsControl(c) || IsBidiControl(c)) return true;
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator) return true;
        }
        return false;
    }

    private static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
