using TradeNet.Matching.Benchmarks;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>The benchmark's command line: a user's --help or typo must not start the whole benchmark with it ignored.</summary>
public class BenchmarkArgsTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_recognised_wherever_it_stands(string help)
    {
        Assert.True(BenchmarkArgs.WantsHelp(["--only", "kidney", help]));
        Assert.Contains("--only kidney", BenchmarkArgs.Usage);
    }

    [Fact]
    public void A_misspelt_option_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkArgs.Parse(["--only", "books", "--book", "300"]));
        Assert.Equal("unknown option --book", error.Message);
    }

    [Fact]
    public void An_unknown_part_is_refused_with_the_parts_there_are()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkArgs.Parse(["--only", "kidny"]));
        Assert.Contains("--only 'kidny'", error.Message);
        Assert.Contains("kidney, books, retention", error.Message);
    }

    [Fact]
    public void The_documented_commands_parse_with_their_values_and_flags()
    {
        var books = BenchmarkArgs.Parse(["--only", "books", "--books", "2250", "--pieces", "--town-count", "150", "--seed", "2", "--trace"]);
        Assert.Equal("2250", books["books"]);
        Assert.Equal("", books["pieces"]);
        Assert.Equal("150", books["town-count"]);
        Assert.Equal("", books["trace"]);

        var write = BenchmarkArgs.Parse(["--write-book", "/tmp/book.json", "--listings", "2000", "--town-count", "150", "--seed", "1"]);
        Assert.Equal("/tmp/book.json", write["write-book"]);

        var retention = BenchmarkArgs.Parse(["--only", "retention", "--trades", "60000", "--kept", "10", "--recent", "5", "--batch", "500", "--seed-only", "--dir", "/tmp/r"]);
        Assert.Equal("60000", retention["trades"]);
        Assert.Equal("/tmp/r", retention["dir"]);
    }

    [Fact]
    public void A_value_without_its_option_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkArgs.Parse(["kidney"]));
        Assert.StartsWith("unexpected kidney", error.Message);
    }
}

/// <summary>The counterparts benchmark read its arguments two by two, so --help alone, or a misspelt option, ran it in full.</summary>
public class CounterpartsArgsTests
{
    [Fact]
    public void A_misspelt_option_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => Counterparts.Benchmarks.CounterpartsArgs.Parse(["--run", "15"]));
        Assert.Equal("unknown option --run", error.Message);
    }

    [Theory]
    [InlineData("--runs", "fifteen")]
    [InlineData("--listings", "0")]
    public void A_count_that_is_not_a_whole_number_above_zero_is_named(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Counterparts.Benchmarks.CounterpartsArgs.Parse([option, value]));
        Assert.StartsWith($"{option} '{value}'", error.Message);
    }

    [Fact]
    public void The_documented_command_parses()
    {
        var options = Counterparts.Benchmarks.CounterpartsArgs.Parse(["--runs", "15", "--listings", "20000", "--town-listings", "498", "--seed", "1", "--data", "/tmp/c"]);
        Assert.Equal("15", options["runs"]);
        Assert.Equal("/tmp/c", options["data"]);
        Assert.True(BenchmarkArgs.WantsHelp(["--help"]));
    }
}

/// <summary>A value the benchmark cannot take used to stop it with a stack trace, some only after the kidney part had run
/// (an unknown book) and one never (fewer listings than two per town looped for ever); each is now named before anything
/// runs, and the program says it in one line with exit code 2.</summary>
public class BenchmarkValueTests
{
    [Theory]
    [InlineData("--seed", "x", "--seed 'x' is not a whole number")]
    [InlineData("--rounds", "ten", "--rounds 'ten' is not a whole number of at least 1")]
    [InlineData("--batch", "0", "--batch '0' is not a whole number of at least 1")]
    [InlineData("--max-cycle", "5", "--max-cycle '5' is not a whole number from 2 to 4")]
    [InlineData("--time-limit", "0", "--time-limit '0' is not a number of seconds above 0")]
    [InlineData("--time-limit", "NaN", "--time-limit 'NaN' is not a number of seconds above 0")]
    [InlineData("--books", "300,foo", "unknown book 'foo'")]
    [InlineData("--books", "99999999999", "book '99999999999': the number of listings must be a whole number")]
    public void A_value_an_option_cannot_take_is_named_before_anything_runs(string option, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkArgs.Parse(["--only", "books", option, value]));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void A_path_option_without_its_path_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkArgs.Parse(["--only", "kidney", "--kidney"]));
        Assert.Equal("--kidney needs a path", error.Message);
    }

    [Fact]
    public void A_flag_does_not_take_the_word_after_it_for_its_value()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkArgs.Parse(["--only", "books", "--pieces", "3"]));
        Assert.StartsWith("unexpected 3", error.Message);
    }

    [Theory]
    [InlineData("--only", "books")]
    [InlineData("--books", "300")]
    public void Donors_with_pieces_are_refused_in_the_books_part_which_solves_without_chains(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkArgs.Parse([option, value, "--pieces", "--donors", "3"]));
        Assert.StartsWith("--donors cannot go with --pieces", error.Message);
    }

    [Fact]
    public async Task A_written_book_may_have_more_towns_than_the_smallest_named_book_can_fill()
    {
        // --town-count 200 is more than book 300 can fill, but --write-book writes its own book: refused before, by the
        // check of the books part, which does not run.
        var path = Path.Combine(Path.GetTempPath(), $"tradenet-book-{Guid.NewGuid():N}.json");
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TradeNet.Matching.Benchmarks.dll"),
                "--write-book", path, "--listings", "400", "--town-count", "200"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));

            Assert.Equal("", await stderr);
            Assert.Equal(0, process.ExitCode);
            var book = BookJson.ReadBook(File.ReadAllText(path));
            Assert.Equal((400, 200), (book.Listings.Count, book.Towns.Count));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("no-such-folder/book.json", "does not exist")]
    [InlineData("", "is a folder")]
    [InlineData("/proc/tradenet-book.json", "cannot be written")]
    [InlineData("{file}/book.json", "is a file, not a folder")]
    public void A_book_path_it_could_not_write_is_named_before_the_book_is_generated(string book, string says)
    {
        // The book was written after generating it: a stack trace then.
        // {file}: a file standing where the folder should be.
        var file = Path.GetTempFileName();
        var path = Path.Combine(Path.GetTempPath(), book.Replace("{file}", file));
        var error = Assert.Throws<ArgumentException>(() => BenchmarkArgs.Parse(["--write-book", path, "--listings", "300", "--town-count", "30"]));
        File.Delete(file);
        Assert.StartsWith("--write-book", error.Message);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public void A_written_book_takes_donors_and_pieces_together()
    {
        var options = BenchmarkArgs.Parse(["--write-book", "/tmp/book.json", "--listings", "300", "--town-count", "30", "--pieces", "--donors", "3"]);
        Assert.Equal("3", options["donors"]);
        Assert.Equal("", options["pieces"]);
    }

    [Fact]
    public void Town_count_gives_every_book_its_towns_and_without_it_each_keeps_its_own()
    {
        Assert.Equal([30, 60], BookSpecs.Select("300,800k4").Select(s => s.Towns));
        var both = BookSpecs.Select("300,800k4", timeLimit: 3, townCount: 20);
        Assert.Equal([20, 20], both.Select(s => s.Towns));
        Assert.Equal([3.0, 3.0], both.Select(s => s.Limit));
        Assert.Equal(4, both[1].K);
    }

    [Fact]
    public void A_book_with_fewer_listings_than_two_per_town_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BookSpecs.Select("300", townCount: 151));
        Assert.Equal("book 300: 300 listings cannot fill 151 towns (at least 2 each)", error.Message);
        Assert.Equal(150, BookSpecs.Select("300", townCount: 150)[0].Towns);
    }

    [Fact]
    public async Task The_generator_refuses_fewer_listings_than_two_per_town_instead_of_looping_for_ever()
    {
        var towns = Enumerable.Range(0, 200).Select(i => new BookGenerator.Town($"{i:D5}", $"town {i}", 45 + i * 0.01, 4, 100)).ToList();
        // On a thread of its own: before, this call never returned, and the test would have hung with it.
        var generate = Task.Run(() => BookGenerator.Generate(towns, 10, 150, seed: 1));
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => generate.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("listings", error.ParamName);
        Assert.Equal(300, BookGenerator.Generate(towns, 300, 150, seed: 1).Listings.Count);
    }

    [Theory]
    [InlineData("garbage\n", "bad edge line 'garbage'")]
    [InlineData("# ALTERNATIVE NAME 1 Pair 1\n1,2,x\n", "00036-bad.wmd: ")]
    public async Task A_kidney_file_that_does_not_parse_is_one_line_naming_it_and_exit_code_2(string text, string says)
    {
        var dir = Directory.CreateTempSubdirectory("tradenet-kidney-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "00036-bad.wmd"), text);
            var info = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TradeNet.Matching.Benchmarks.dll"),
                "--only", "kidney", "--kidney", dir.FullName]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));

            Assert.Equal(2, process.ExitCode); // an unhandled exception's stack trace, 134, before
            var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: {Path.Combine(dir.FullName, "00036-bad.wmd")}: ", line);
            Assert.Contains(says, line);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_folder_without_the_kidney_files_is_named_and_the_shipped_two_are_found()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"tradenet-no-kidney-{Guid.NewGuid():N}");
        Assert.StartsWith($"no PrefLib kidney files (*.wmd) in {missing}", KidneyInstance.Missing(missing));
        var shipped = Path.Combine(AppContext.BaseDirectory, "Data", "kidney");
        Assert.Null(KidneyInstance.Missing(shipped));
        Assert.Equal(["00036-00000001.wmd", "00036-00000100.wmd"], KidneyInstance.Files(shipped).Select(Path.GetFileName));
    }
}

/// <summary>The counterparts benchmark's book sizes: a big town of 1 listing never finished generating, one larger
/// than the book stopped with a stack trace.</summary>
public class CounterpartsSizeTests
{
    [Theory]
    [InlineData(new[] { "--town-listings", "1" }, "--town-listings '1' is below 2")]
    [InlineData(new[] { "--listings", "100", "--town-listings", "498" }, "--listings 100 leaves fewer than 40 listings beside the town's 498")]
    [InlineData(new[] { "--listings", "500" }, "--listings 500 leaves fewer than 40 listings beside the town's 498")]
    public void A_book_too_small_for_its_town_or_the_rest_is_refused(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Counterparts.Benchmarks.CounterpartsArgs.Parse(args));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void The_smallest_book_it_takes_is_accepted()
    {
        Assert.Equal("42", Counterparts.Benchmarks.CounterpartsArgs.Parse(["--listings", "42", "--town-listings", "2"])["listings"]);
    }
}

/// <summary>The counterparts benchmark's three books are what docs/benchmarks.md says they are: the size asked for with one
/// town of its own size, that town 1,000 km away, or one offer and needs nothing in the book can fill.</summary>
public class CounterpartsBookTests
{
    private static readonly List<BookGenerator.Town> Towns =
        [.. Enumerable.Range(0, 300).Select(i => new BookGenerator.Town($"{i:D5}", $"town {i}", 45 + i * 0.005, 4 + i * 0.003, 100 + i))];

    private static List<Contracts.ListingSnapshot> Build(Counterparts.Benchmarks.Shape shape) =>
        Counterparts.Benchmarks.CounterpartsBook.Build(Towns, 2000, 100, seed: 1, shape);

    [Fact]
    public void The_book_holds_the_listings_asked_for_with_the_big_towns_among_them_on_the_rest_s_towns()
    {
        var book = Build(Counterparts.Benchmarks.Shape.Generated);
        Assert.Equal(2000, book.Count);
        Assert.Equal(100, book.Count(l => l.TownId == Counterparts.Benchmarks.CounterpartsBook.BigTown));
        Assert.Equal(1900 * 3 / 40, book.Where(l => l.TownId != Counterparts.Benchmarks.CounterpartsBook.BigTown).Select(l => l.TownId).Distinct().Count());
        Assert.Equal(book.Count, book.Select(l => l.Id).Distinct().Count());
    }

    [Fact]
    public void The_far_town_is_the_same_town_1000_km_south_and_the_rest_of_the_book_unchanged()
    {
        var (generated, far) = (Build(Counterparts.Benchmarks.Shape.Generated), Build(Counterparts.Benchmarks.Shape.Far));
        bool Big(Contracts.ListingSnapshot l) => l.TownId == Counterparts.Benchmarks.CounterpartsBook.BigTown;
        Assert.Equal(generated.Where(l => !Big(l)), far.Where(l => !Big(l)), (a, b) => a with { Attributes = [], Requires = [] } == b with { Attributes = [], Requires = [] });
        var (home, moved) = (generated.First(Big), far.First(Big));
        Assert.Equal(home.TownLon, moved.TownLon);
        Assert.InRange((home.TownLat - moved.TownLat) * 111.2, 990, 1010);
    }

    [Fact]
    public void The_crafted_town_asks_with_its_one_offer_in_the_most_listed_category_and_no_offer_carries_what_its_needs_require()
    {
        var book = Build(Counterparts.Benchmarks.Shape.Crafted);
        var big = book.Where(l => l.TownId == Counterparts.Benchmarks.CounterpartsBook.BigTown).ToList();
        var most = book.Where(l => !big.Contains(l)).GroupBy(l => l.Category).MaxBy(g => g.Count())!.Key;
        Assert.All(big, l => Assert.Equal(most, l.Category));
        Assert.Single(big, l => l.Kind == "offer");
        Assert.All(big.Where(l => l.Kind == "need"), l => Assert.Equal(["hand-signed"], l.Requires));
        Assert.DoesNotContain(book, l => l.Kind == "offer" && l.Attributes.Contains("hand-signed"));
        var asked = Counterparts.Benchmarks.CounterpartsBook.Asked(book);
        Assert.Equal("offer", asked.Kind);
        Assert.Equal(big.Single(l => l.Kind == "offer").Id, asked.Id);
    }
}
