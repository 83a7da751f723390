namespace TradeNet.Logistics.Benchmarks.Formats;

/// <summary>A benchmark file that does not follow its format; the message names the file and the line.</summary>
public sealed class BenchmarkFormatException(string message) : Exception(message);

internal static class Parse
{
    /// <summary>
    /// Largest |coordinate| accepted. Benchmark sets stay within a few thousand; at 10⁷ an arc is at
    /// most 2.9·10⁷ (×100 for the time-window families), so distances and route sums stay far inside 64 bits.
    /// </summary>
    public const double MaxCoordinate = 1e7;

    /// <summary>Largest instance: the solvers hold dense n × n matrices (10⁴ nodes ≈ 0.8 GB each).</summary>
    public const int MaxNodes = 10_000;

    internal static readonly char[] Blanks = [' ', '\t'];

    public static string[] Tokens(string line) => line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A finite number: NaN and ±Infinity parse as doubles but have no distance.</summary>
    public static double Number(string token, string where) =>
        double.TryParse(token, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
            ? x
            : throw new BenchmarkFormatException($"{where}: '{token}' is not a finite number");

    public static double Coordinate(string token, string where)
    {
        double x = Number(token, where);
        return Math.Abs(x) <= MaxCoordinate ? x : throw new BenchmarkFormatException($"{where}: coordinate {token} is outside ±{MaxCoordinate:0}");
    }

    public static int Integer(string token, string where) =>
        int.TryParse(token, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int x)
            ? x
            : throw new BenchmarkFormatException($"{where}: '{token}' is not an integer");

    public static int NonNegative(string token, string where, string field)
    {
        int x = Integer(token, where);
        return x >= 0 ? x : throw new BenchmarkFormatException($"{where}: {field} {x} is negative");
    }

    public static int Positive(string token, string where, string field)
    {
        int x = Integer(token, where);
        return x > 0 ? x : throw new BenchmarkFormatException($"{where}: {field} must be positive, not {x}");
    }
}
