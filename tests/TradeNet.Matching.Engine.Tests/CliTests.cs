using System.Text.Json;
using TradeNet.Matching.Benchmarks;
using TradeNet.Matching.Cli;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tradenet-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private const string IssueExampleBook = """
        { "categories": [ {"id":"organic-vegetables","unit":"kg","value":2.5}, {"id":"wood","unit":"kg","value":0.5} ],
          "towns":      [ {"id":"42187","name":"Roanne","lat":46.0443,"lon":4.07974},
                          {"id":"42184","name":"Riorges","lat":46.0428,"lon":4.0406} ],
          "listings":   [ {"id":"L1","town":"42187","kind":"offer","category":"organic-vegetables",
                           "quantity":500,"minLot":50,"attributes":["organic"]},
                          {"id":"L2","town":"42184","kind":"need","category":"organic-vegetables",
                           "quantity":200,"minLot":20,"requires":["organic"],"maxDistanceKm":80},
                          {"id":"L3","town":"42184","kind":"offer","category":"wood","quantity":2000},
                          {"id":"L4","town":"42187","kind":"need","category":"wood","quantity":800} ],
          "settings":   {"maxCycleLength":3,"detourFactor":1.3} }
        """;

    [Fact]
    public void Solve_prints_only_the_camel_case_result_json_to_stdout()
    {
        var (code, stdout, stderr) = Run("solve", "--book", Write("book.json", IssueExampleBook));
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        // L4 needs 800 kg of wood worth 0.5 → 400 credits per leg, both ways.
        Assert.Equal(800, root.GetProperty("objective").GetDouble(), 6);
        Assert.Equal("optimal", root.GetProperty("status").GetString());
        Assert.True(root.GetProperty("bound").GetDouble() >= 800 - 1e-6);
        var leg = root.GetProperty("trades")[0].GetProperty("legs")[0];
        foreach (var name in new[] { "from", "to", "offer", "need", "category", "quantity", "value" })
            Assert.True(leg.TryGetProperty(name, out _), name);
    }

    [Fact]
    public void A_book_that_asks_for_whole_pieces_gets_panels_and_bicycles_in_whole_pieces()
    {
        // 20 panels (180) and 20 bicycles (150): 3,000 credits would be 16⅔ panels; whole, 2,700 is 15 panels for 18 bicycles.
        const string book = """
            { "categories": [ {"id":"panels","unit":"piece","value":180}, {"id":"bicycles","unit":"piece","value":150} ],
              "towns":      [ {"id":"A","name":"A","lat":46.04,"lon":4.07}, {"id":"B","name":"B","lat":46.05,"lon":4.08} ],
              "listings":   [ {"id":"L1","town":"A","kind":"offer","category":"panels","quantity":20},
                              {"id":"L2","town":"B","kind":"need","category":"panels","quantity":20},
                              {"id":"L3","town":"B","kind":"offer","category":"bicycles","quantity":20},
                              {"id":"L4","town":"A","kind":"need","category":"bicycles","quantity":20} ],
              "settings":   {"maxCycleLength":2,"wholePieces":true} }
            """;

        var (code, stdout, stderr) = Run("solve", "--book", Write("pieces.json", book));

        Assert.Equal(CliApp.Ok, code);
        Assert.Equal("", stderr); // wholePieces is a known field
        var result = BookJson.ReadResult(stdout);
        Assert.Equal([15.0, 18.0], result.Trades.Single().Legs.Select(l => l.Quantity));
        Assert.Equal(5400, result.Objective, 6);
    }

    [Fact]
    public void A_misspelt_field_is_named_in_a_warning_on_stderr_and_the_book_still_solves()
    {
        var book = IssueExampleBook.Replace("\"minLot\":50", "\"min_lot\":50").Replace("\"detourFactor\":1.3", "\"detour\":1.3");

        var (code, stdout, stderr) = Run("solve", "--book", Write("book.json", book));

        Assert.Equal(CliApp.Ok, code);
        Assert.Equal(["warning: unknown field ignored: listings[0] (L1): min_lot", "warning: unknown field ignored: settings: detour"],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        using var _ = JsonDocument.Parse(stdout);
    }

    [Theory]
    [InlineData("\"availableUntil\":\"tomorrow\"", "not a time")]
    [InlineData("\"availableUntil\":12", "a time must be a string")]
    public void A_time_that_is_not_a_time_is_a_malformed_book(string window, string says)
    {
        var book = IssueExampleBook.Replace("\"quantity\":500,", $"\"quantity\":500,{window},");

        var (code, stdout, stderr) = Run("solve", "--book", Write("book.json", book));

        Assert.Equal(CliApp.BadBook, code);
        Assert.Equal("", stdout);
        Assert.Contains(says, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("2026-01-10T12:00:00+01:00", 0)]   // 11:00 UTC: the offer ends before the need opens at 11:30 UTC
    [InlineData("2026-01-10T12:00:00Z", 800)]
    [InlineData("2026-01-10T12:00:00", 800)]        // no offset: UTC, on every machine
    [InlineData("2026-01-10T11:00:00", 0)]
    public void A_times_offset_decides_whether_windows_overlap(string offerEnds, double objective)
    {
        var book = IssueExampleBook.Replace("\"quantity\":500,", $"\"quantity\":500,\"availableUntil\":\"{offerEnds}\",")
            .Replace("\"quantity\":200,", "\"quantity\":200,\"availableFrom\":\"2026-01-10T11:30:00Z\",");

        var (code, stdout, _) = Run("solve", "--book", Write("book.json", book));

        Assert.Equal(CliApp.Ok, code);
        Assert.Equal(objective, JsonDocument.Parse(stdout).RootElement.GetProperty("objective").GetDouble(), 6);
    }

    [Theory]
    [InlineData("\"listings\":   [", "\"listings\": null, \"x\": [", "listings is null")]
    [InlineData("\"name\":\"Roanne\"", "\"name\":null", "has no name")]
    [InlineData("\"unit\":\"kg\",\"value\":2.5", "\"unit\":null,\"value\":2.5", "has no unit")]
    public void A_required_field_given_as_null_is_a_malformed_book(string from, string to, string says)
    {
        var (code, _, stderr) = Run("solve", "--book", Write("book.json", IssueExampleBook.Replace(from, to)));

        Assert.Equal(CliApp.BadBook, code);
        Assert.Contains(says, stderr);
    }

    [Fact]
    public void Out_writes_the_result_file_and_keeps_stdout_empty()
    {
        var outPath = Path.Combine(_dir, "result.json");
        var (code, stdout, _) = Run("solve", "--book", Write("book.json", IssueExampleBook), "--out", outPath, "--time-limit", "10");
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal("", stdout);
        var result = BookJson.ReadResult(File.ReadAllText(outPath));
        Assert.Equal(800, result.Objective, 6);
        Assert.Single(result.Trades);
    }

    [Fact]
    public void Max_cycle_overrides_the_book_setting()
    {
        var triangle = BookJson.WriteBook(TestBooks.Triangle().Build());
        var path = Write("triangle.json", triangle);
        Assert.Equal(600, BookJson.ReadResult(Run("solve", "--book", path).Out).Objective, 6);
        Assert.Empty(BookJson.ReadResult(Run("solve", "--book", path, "--max-cycle", "2").Out).Trades);
    }

    [Fact]
    public void A_malformed_book_gets_one_line_naming_the_listing_and_exit_code_2()
    {
        var bad = IssueExampleBook.Replace("\"town\":\"42184\",\"kind\":\"need\"", "\"town\":\"99999\",\"kind\":\"need\"");
        var (code, stdout, stderr) = Run("solve", "--book", Write("bad.json", bad));
        Assert.Equal(CliApp.BadBook, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("L2", line);
        Assert.Contains("unknown town", line);
    }

    [Fact]
    public void Invalid_json_is_a_malformed_book_too()
    {
        var (code, _, stderr) = Run("solve", "--book", Write("broken.json", "{ \"listings\": [ {\"id\": 3 "));
        Assert.Equal(CliApp.BadBook, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Missing_optional_fields_take_their_documented_defaults()
    {
        var book = BookJson.ReadBook("""
            { "categories":[{"id":"c","unit":"kg","value":1}], "towns":[{"id":"t","name":"T","lat":46,"lon":4}],
              "listings":[{"id":"L","town":"t","kind":"need","category":"c","quantity":5}] }
            """);
        var l = book.Listings.Single();
        Assert.Equal(0, l.MinLot);
        Assert.Null(l.Requires);
        Assert.Null(l.MaxDistanceKm);
        Assert.Null(book.Settings);
        Assert.Equal(3, ClearingEngine.Effective(book, SolveOptions.Default).Settings!.MaxCycleLength);
        Assert.Equal(1.3, ClearingEngine.Effective(book, SolveOptions.Default).Settings!.DetourFactor);
    }

    private static string OneErrorLine(string stderr) => Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    [Theory]
    [InlineData("categories")]
    [InlineData("towns")]
    [InlineData("listings")]
    public void A_null_entry_in_a_book_array_is_a_malformed_book_not_a_crash(string array)
    {
        var bad = System.Text.RegularExpressions.Regex.Replace(IssueExampleBook, $"\"{array}\":\\s*\\[", m => m.Value + " null,");
        Assert.Contains("null,", bad);
        var (code, stdout, stderr) = Run("solve", "--book", Write("null-entry.json", bad));
        Assert.Equal(CliApp.BadBook, code);
        Assert.Equal("", stdout);
        Assert.Contains(array, OneErrorLine(stderr));
    }

    [Theory]
    [InlineData("\"lat\":46.0443,", "lat")]
    [InlineData("\"kind\":\"need\",", "kind")]
    public void A_missing_required_field_is_a_malformed_book_not_a_default(string field, string name)
    {
        var bad = IssueExampleBook.Replace(field, "");
        Assert.NotEqual(IssueExampleBook, bad);
        var (code, stdout, stderr) = Run("solve", "--book", Write("missing.json", bad));
        Assert.Equal(CliApp.BadBook, code);
        Assert.Equal("", stdout);
        Assert.Contains(name, OneErrorLine(stderr));
    }

    [Theory]
    [InlineData("\"kind\":\"offer\",\"category\":\"wood\"", "\"category\":\"wood\"", "kind")]
    [InlineData("\"kind\":\"offer\",\"category\":\"wood\"", "\"kind\":\"gift\",\"category\":\"wood\"", "kind")]
    [InlineData("\"quantity\":2000", "\"quantity\":\"2000\"", "quantity")]
    // The framework's enum reader takes a list of names and ORs them (offer = 0, need = 1): "offer, need" was read as a
    // need, without a word. Nor is a name with spaces around it one of the two.
    [InlineData("\"kind\":\"offer\",\"category\":\"wood\"", "\"kind\":\"offer, need\",\"category\":\"wood\"", "kind")]
    [InlineData("\"kind\":\"offer\",\"category\":\"wood\"", "\"kind\":\"offer,offer\",\"category\":\"wood\"", "kind")]
    [InlineData("\"kind\":\"offer\",\"category\":\"wood\"", "\"kind\":\" offer\",\"category\":\"wood\"", "kind")]
    public void A_field_missing_or_of_the_wrong_type_is_told_in_the_books_terms_not_the_readers_types(string field, string replacement, string name)
    {
        var bad = IssueExampleBook.Replace(field, replacement);
        Assert.NotEqual(IssueExampleBook, bad);
        var (code, stdout, stderr) = Run("solve", "--book", Write("wrong.json", bad));
        Assert.Equal(CliApp.BadBook, code);
        Assert.Equal("", stdout);
        // In a book of thousands of listings, "missing required properties including: 'kind'" alone finds nothing.
        var line = OneErrorLine(stderr);
        Assert.Contains("listings[2] (L3)", line);
        Assert.Contains(name, line);
        // The engine's record types are nothing a book's author wrote.
        Assert.DoesNotContain("TradeNet.", line);
    }

    [Theory]
    [InlineData("\"minLot\":50,", "\"minLot\":null,", "listings[0] (L1): 'minLot'")]
    [InlineData("\"detourFactor\":1.3", "\"detourFactor\":null", "'settings.detourFactor'")]
    public void A_number_with_a_default_given_as_null_is_a_malformed_book(string field, string replacement, string says)
    {
        // null is not "left out": a number that has a default takes it only when the field is absent, as docs/matching.md says.
        var bad = IssueExampleBook.Replace(field, replacement);
        Assert.NotEqual(IssueExampleBook, bad);
        var (code, stdout, stderr) = Run("solve", "--book", Write("null.json", bad));
        Assert.Equal(CliApp.BadBook, code);
        Assert.Equal("", stdout);
        Assert.Contains(says, OneErrorLine(stderr));
    }

    [Fact]
    public void A_max_distance_given_as_null_is_no_limit()
    {
        var book = IssueExampleBook.Replace("\"maxDistanceKm\":80", "\"maxDistanceKm\":null");
        Assert.NotEqual(IssueExampleBook, book);
        var (code, stdout, stderr) = Run("solve", "--book", Write("null.json", book));
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal("", stderr);
        Assert.Single(BookJson.ReadResult(stdout).Trades);
    }

    [Fact]
    public void A_listing_field_given_twice_is_a_malformed_book_naming_the_listing()
    {
        var bad = IssueExampleBook.Replace("\"quantity\":200,", "\"quantity\":200,\"quantity\":9000,");
        Assert.NotEqual(IssueExampleBook, bad);
        var (code, stdout, stderr) = Run("solve", "--book", Write("twice.json", bad));
        Assert.Equal(CliApp.BadBook, code);
        Assert.Equal("", stdout);
        Assert.Contains("listings[1].quantity", OneErrorLine(stderr));
    }

    [Fact]
    public void The_longest_time_limit_the_flag_takes_solves_the_book()
    {
        var limit = BookValidator.MaxTimeLimitSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var (code, stdout, stderr) = Run("solve", "--book", Write("book.json", IssueExampleBook), "--time-limit", limit);
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal("", stderr);
        Assert.Equal(SolveStatus.Optimal, BookJson.ReadResult(stdout).Status);
    }

    [Theory]
    [InlineData("1e20")]
    [InlineData("Infinity")]
    [InlineData("1e-300")]
    public void A_time_limit_flag_out_of_range_is_a_usage_error(string seconds)
    {
        var (code, stdout, stderr) = Run("solve", "--book", Write("book.json", IssueExampleBook), "--time-limit", seconds);
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("", stdout);
        Assert.Contains("--time-limit", OneErrorLine(stderr));
    }

    [Theory]
    [InlineData("--max-cycle", "1", "from 2 to 4")]
    [InlineData("--max-cycle", "5", "from 2 to 4")]
    [InlineData("--max-chain", "-1", "from 0 to 3")]
    [InlineData("--max-chain", "4", "from 0 to 3")]
    public void A_cycle_or_chain_cap_flag_out_of_range_is_a_usage_error_giving_the_range(string flag, string value, string range)
    {
        var (code, stdout, stderr) = Run("solve", "--book", Write("book.json", IssueExampleBook), flag, value);
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("", stdout);
        Assert.Contains(flag, OneErrorLine(stderr));
        Assert.Contains(range, OneErrorLine(stderr));
    }

    [Fact]
    public void An_empty_book_path_is_a_usage_error_not_a_crash()
    {
        var (code, _, stderr) = Run("solve", "--book", "");
        Assert.Equal(CliApp.UsageError, code);
        OneErrorLine(stderr);
    }

    [Fact]
    public void An_empty_out_path_is_a_usage_error_not_a_crash()
    {
        var (code, stdout, stderr) = Run("solve", "--book", Write("book.json", IssueExampleBook), "--out", "");
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("", stdout);
        OneErrorLine(stderr);
    }

    [Theory]
    [InlineData("no-such-folder/result.json", "does not exist")]
    [InlineData(".", "is a folder")]
    [InlineData("big.json/result.json", "big.json is a file, not a folder")]
    [InlineData("/proc/tradenet-result.json", "cannot be written")]
    public void An_out_path_that_cannot_take_the_result_is_refused_before_the_book_is_solved(string outPath, string says)
    {
        // A book the engine works on for its whole limit: before, the refusal came after the 40 s solve and threw it away.
        var towns = Enumerable.Range(0, 150).Select(i => new BookGenerator.Town($"{i:D5}", $"town {i}", 45 + i % 15 * 0.1, 4 + i / 15 * 0.1, 1000)).ToList();
        var book = Write("big.json", BookJson.WriteBook(BookGenerator.Generate(towns, 2000, 150, seed: 1)));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (code, stdout, stderr) = Run("solve", "--book", book, "--time-limit", "40", "--out", Path.Combine(_dir, outPath));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the 40 s solve should not have run ({clock.Elapsed.TotalSeconds:0} s)");
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("", stdout);
        Assert.Contains("--out", OneErrorLine(stderr));
        Assert.Contains(says, stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "no-such-folder", "result.json")));
    }

    [Theory]
    [InlineData("\"quantity\":500", "\"quantity\":1e400", "quantity must be > 0 and finite (got Infinity)")]
    [InlineData("\"minLot\":50", "\"minLot\":1e400", "minLot must be ≥ 0 and finite (got Infinity)")]
    [InlineData("\"maxDistanceKm\":80", "\"maxDistanceKm\":1e400", "maxDistanceKm must be ≥ 0 and finite (got Infinity)")]
    [InlineData("\"value\":2.5", "\"value\":1e400", "category 'organic-vegetables' must have a value > 0 and finite (got Infinity)")]
    [InlineData("\"lat\":46.0443", "\"lat\":146.0443", "town '42187' has coordinates out of range (lat 146.0443, lon 4.07974: lat from -90 to 90, lon from -180 to 180)")]
    [InlineData("\"detourFactor\":1.3", "\"detourFactor\":1e400", "settings.detourFactor must be ≥ 1 and finite (got Infinity)")]
    public void A_number_beyond_a_double_or_a_place_off_the_globe_is_named_with_what_was_read(string from, string to, string says)
    {
        // 1e400 reads as Infinity, which "must be > 0 (got Infinity)" did not explain; a place out of range was not shown.
        Assert.Contains(from, IssueExampleBook);
        var (code, _, stderr) = Run("solve", "--book", Write("book.json", IssueExampleBook.Replace(from, to)));
        Assert.Equal(CliApp.BadBook, code);
        Assert.Contains(says, OneErrorLine(stderr));
    }

    [Fact]
    public void A_book_that_is_not_utf8_is_a_malformed_book()
    {
        var path = Path.Combine(_dir, "latin1.json");
        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(IssueExampleBook.Replace("\"L1\"", "\"Caf\u00e9\"")));
        var (code, stdout, stderr) = Run("solve", "--book", path);
        Assert.Equal(CliApp.BadBook, code);
        Assert.Equal("", stdout);
        Assert.Contains("UTF-8", OneErrorLine(stderr));
    }

    [Fact]
    public void A_book_whose_total_value_overflows_is_a_malformed_book_not_a_crash()
    {
        // Each listing is worth 1e308 credits (finite), but a 3-cycle moves 3e308: the objective would be infinite.
        var book = new TestBooks().Category("c").Town("A").Town("B", 46.05, 4.08).Town("C", 46.06, 4.06)
            .Offer("a", "A", "c", 1e308).Need("b-in", "B", "c", 1e308)
            .Offer("b", "B", "c", 1e308).Need("c-in", "C", "c", 1e308)
            .Offer("c", "C", "c", 1e308).Need("a-in", "A", "c", 1e308).Build();
        var (code, stdout, stderr) = Run("solve", "--book", Write("huge.json", BookJson.WriteBook(book)));
        Assert.Equal(CliApp.BadBook, code);
        Assert.Equal("", stdout);
        Assert.Contains("overflow", OneErrorLine(stderr));
    }

    [Fact]
    public void An_unknown_flag_at_the_end_is_called_unknown_not_missing_its_value()
    {
        var (code, stdout, stderr) = Run("solve", "--book", Write("book.json", IssueExampleBook), "--verbose");
        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("", stdout);
        var line = OneErrorLine(stderr);
        Assert.Contains("--verbose", line);
        Assert.Contains("unknown flag", line);
    }

    [Fact]
    public void Unknown_arguments_are_a_usage_error() =>
        Assert.Equal(CliApp.UsageError, Run("solve", "--book", "x.json", "--speed", "fast").Code);
}
