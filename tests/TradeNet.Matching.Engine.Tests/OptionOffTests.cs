using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>
/// The whole-pieces option is opt-in: without it the engine must answer exactly as it did before the option existed.
/// The expected results in Data/option-off were written by the engine before that change (set
/// TRADENET_WRITE_OPTION_OFF=1 to write them again, only on purpose); only the measured seconds are left out.
/// </summary>
public class OptionOffTests
{
    public static TheoryData<string> Books => new() { "realistic-50-k3", "realistic-36-k4", "pieces-48-k3", "pieces-36-k4", "pieces-60-pdlp" };

    [Theory]
    [MemberData(nameof(Books))]
    public void Without_whole_pieces_the_result_is_byte_for_byte_the_one_from_before_the_option(string name)
    {
        // The "-pdlp" book takes the first-order path (PDLP master) that big components take.
        var json = Canonical(ClearingEngine.Solve(Book(name), name.EndsWith("-pdlp", StringComparison.Ordinal)
            ? new SolveOptions { FirstOrderAboveListings = 0 } : null));
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "option-off", name + ".json");
        if (Environment.GetEnvironmentVariable("TRADENET_WRITE_OPTION_OFF") == "1")
        {
            var source = Path.Combine(SourceDirectory(), "Data", "option-off", name + ".json");
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, json);
            return;
        }
        Assert.Equal(File.ReadAllText(path), json);
    }

    internal static Book Book(string name) => name switch
    {
        "realistic-50-k3" => RandomBooks.Realistic(3, 8, 50),
        "realistic-36-k4" => RandomBooks.Realistic(2, 6, 36) with { Settings = new Settings(4) },
        "pieces-48-k3" => RandomBooks.Pieces(3, 8, 48),
        "pieces-36-k4" => RandomBooks.Pieces(4, 6, 36, maxCycle: 4),
        "pieces-60-pdlp" => RandomBooks.Pieces(7, 8, 60),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static string Canonical(ClearingResult result) =>
        BookJson.WriteResult(result with { Stats = result.Stats with { Seconds = 0 } }, indented: true);

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
