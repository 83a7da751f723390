using TradeNet.Matching.Benchmarks;

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
