namespace TradeNet.Shared.Hosting;

/// <summary>The rule for a required line of free text (a reason, a category id): what reaches logs, events and other
/// services must not carry control characters, which could forge a line there.</summary>
public static class TextRules
{
    /// <summary>What is wrong with the (trimmed) text, or null when it is fine.</summary>
    public static string? RequiredLineError(string? text, int maxLength) => text switch
    {
        null or "" => "is required",
        _ when text.Length > maxLength => $"must be at most {maxLength} characters",
        _ when text.Any(char.IsControl) => "must not contain control characters",
        _ => null,
    };
}
