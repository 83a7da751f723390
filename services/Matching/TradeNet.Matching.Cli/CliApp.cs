using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradeNet.Matching.Engine;
using TradeNet.CommandLine;

namespace TradeNet.Matching.Cli;

/// <summary>
/// <c>solve --book BOOK.json [--max-cycle K] [--max-chain L] [--time-limit SECONDS] [--out RESULT.json]</c>.
/// Exit codes: 0 solved, 1 usage or I/O error, 2 malformed book. Without --out only the result JSON goes to stdout.
/// </summary>
public static class CliApp
{
    public const int Ok = 0, UsageError = 1, BadBook = 2;
    private const int MaxWarnings = 5;

    private static readonly HashSet<string> Flags = ["--book", "--out", "--max-cycle", "--max-chain", "--time-limit"];

    private const string Usage = "usage: solve --book BOOK.json [--max-cycle K] [--max-chain L] [--time-limit SECONDS] [--out RESULT.json]";

    private static string Expected(string flag) => flag switch
    {
        "--max-cycle" => $" (K is a whole number from {BookValidator.MinCycleLength} to {BookValidator.MaxSupportedCycleLength})",
        "--max-chain" => $" (L is a whole number from 0 to {BookValidator.MaxSupportedChainLength})",
        "--time-limit" => $" (SECONDS is a number above 0, at most {BookValidator.MaxTimeLimitSeconds})",
        _ => " (unknown flag)",
    };

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] != "solve") { stderr.WriteLine(Usage); return UsageError; }
        string? bookPath = null, outPath = null;
        int? maxCycle = null, maxChain = null;
        double? timeLimit = null;
        for (var i = 1; i < args.Length; i++)
        {
            var flag = args[i];
            // A flag this command does not take is named as such, wherever it stands: last, it has no value to miss.
            if (!Flags.Contains(flag)) { stderr.WriteLine($"bad argument {flag}{Expected(flag)}; {Usage}"); return UsageError; }
            if (i + 1 >= args.Length) { stderr.WriteLine($"missing value for {flag}; {Usage}"); return UsageError; }
            var value = args[++i];
            switch (flag)
            {
                case "--book": bookPath = value; break;
                case "--out": outPath = value; break;
                // Flags are usage: out of range is exit 1 like a bad --time-limit, not a malformed book (exit 2).
                case "--max-cycle" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k)
                    && k is >= BookValidator.MinCycleLength and <= BookValidator.MaxSupportedCycleLength: maxCycle = k; break;
                case "--max-chain" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                    && l is >= 0 and <= BookValidator.MaxSupportedChainLength: maxChain = l; break;
                case "--time-limit" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var t)
                    && t is > 0 and <= BookValidator.MaxTimeLimitSeconds && TimeSpan.FromSeconds(t) > TimeSpan.Zero: timeLimit = t; break;
                default: stderr.WriteLine($"bad argument {flag} {value}{Expected(flag)}; {Usage}"); return UsageError;
            }
        }
        if (bookPath is null) { stderr.WriteLine(Usage); return UsageError; }
        // Before the solve, which may take the whole time limit: a result it cannot write would otherwise be thrown away.
        if (outPath is not null && WritablePaths.Problem(outPath) is { } problem) { stderr.WriteLine($"bad argument --out {OneLine(problem)}"); return UsageError; }

        string text;
        // JSON is UTF-8: a byte that does not decode is a malformed book, not a silent U+FFFD in an id.
        try { text = File.ReadAllText(bookPath, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)); }
        catch (DecoderFallbackException e) { stderr.WriteLine($"malformed book: not UTF-8: {OneLine(e.Message)}"); return BadBook; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { stderr.WriteLine($"cannot read {bookPath}: {e.Message}"); return UsageError; }

        Book book;
        try { book = BookJson.ReadBook(text); }
        catch (JsonException e) { stderr.WriteLine($"malformed book: {Describe(e, text)}"); return BadBook; }
        var unknown = BookJson.UnknownFields(text);
        foreach (var field in unknown.Take(MaxWarnings)) stderr.WriteLine($"warning: unknown field ignored: {OneLine(field)}");
        if (unknown.Count > MaxWarnings) stderr.WriteLine($"warning: {unknown.Count - MaxWarnings} more unknown fields ignored");

        var options = new SolveOptions
        {
            MaxCycleLength = maxCycle,
            MaxChainLength = maxChain,
            TimeLimit = timeLimit is { } s ? TimeSpan.FromSeconds(s) : null,
            // MATCHING_TRACE=1: the engine's progress lines on standard error (standard output holds the result only).
            Progress = Environment.GetEnvironmentVariable("MATCHING_TRACE") == "1" ? stderr.WriteLine : null,
        };
        var errors = BookValidator.Validate(ClearingEngine.Effective(book, options));
        if (errors.Count > 0)
        {
            var more = errors.Count > 1 ? $" (and {errors.Count - 1} more)" : "";
            stderr.WriteLine($"malformed book: {OneLine(errors[0].ToString())}{more}");
            return BadBook;
        }

        var result = ClearingEngine.Solve(book, options);
        var json = BookJson.WriteResult(result, indented: true);
        if (outPath is null) stdout.WriteLine(json);
        else
        {
            try { File.WriteAllText(outPath, json + Environment.NewLine); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { stderr.WriteLine($"cannot write {outPath}: {e.Message}"); return UsageError; }
        }
        return Ok;
    }

    // One line, and no control character of the book's (a NUL in an id) reaches the terminal.
    private static string OneLine(string s) => new(s.ReplaceLineEndings(" ").Select(c => char.IsControl(c) ? '?' : c).ToArray());

    // System.Text.Json names a duplicate by type, not by where it is; the path names the listing.
    private static string Describe(JsonException e, string text)
    {
        if (e.Path is { Length: > 1 } path && e.Message.StartsWith("Duplicate", StringComparison.Ordinal))
            return $"'{path.TrimStart('$', '.')}' is given more than once";
        var item = Item(e.Path, text);
        return OneLine(item is null ? InBookTerms(e, e.Path?.TrimStart('$', '.') ?? "") : $"{item}: {InBookTerms(e, Field(e.Path!))}");
    }

    // System.Text.Json speaks of the reader's types ("could not be converted to TradeNet.Matching.Engine.Listing"), which
    // are nothing the book's author wrote: say which field, and where in the file.
    private static string InBookTerms(JsonException e, string field)
    {
        const string Missing = "missing required properties including: ";
        var at = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine})" : "";
        if (e.Message.IndexOf(Missing, StringComparison.Ordinal) is var i and >= 0)
            return $"missing required field(s): {e.Message[(i + Missing.Length)..].TrimEnd('.').Replace("'", "", StringComparison.Ordinal)}";
        if (e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            return field.Length == 0 ? $"a book is a JSON object with categories, towns and listings{at}"
                : $"'{field}' has a value of the wrong type or one it does not take{(field.EndsWith("kind", StringComparison.Ordinal) ? " (offer or need)" : "")}{at}";
        return e.Message;
    }

    // The field within its entry: "$.listings[2].kind" → "kind".
    private static string Field(string path) => ItemPath.Replace(path, "").TrimStart('.');

    private static readonly Regex ItemPath = new(@"^\$\.(categories|towns|listings)\[(\d+)\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The entry an error is in, as <c>listings[3] (L7)</c>: a missing required field's message names the field
    /// but not the entry, which in a book of thousands cannot be found without it.</summary>
    private static string? Item(string? path, string text)
    {
        if (path is null || ItemPath.Match(path) is not { Success: true } m) return null;
        var list = m.Groups[1].Value.ToLowerInvariant();
        var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var where = $"{list}[{index}]";
        try
        {
            // Broken JSON has no entry to read an id from: the framework's message already says where it breaks.
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = true });
            if (Property(document.RootElement, list) is { ValueKind: JsonValueKind.Array } items && index < items.GetArrayLength()
                && Property(items[index], "id") is { ValueKind: JsonValueKind.String } id)
                return $"{where} ({OneLine(id.GetString()!)})";
        }
        catch (JsonException) { }
        return where;
    }

    // Matched as the reader matches names: without regard to case.
    private static JsonElement? Property(JsonElement item, string name) => item.ValueKind != JsonValueKind.Object ? null
        : item.EnumerateObject().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault();
}
