namespace TradeNet.Logistics.Benchmarks.Formats;

/// <summary>A benchmark file that does not follow its format; the message names the file and the line.</summary>
public sealed class BenchmarkFormatException(string message) : Exception(message);

internal static class Parse
{
    internal static readonly char[] Blanks = [' ', '\t'];

    public static string[] Tokens(string line) => line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);

    public static double Number(string token, string where) =>
        double.TryParse(token, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double x)
            ? x
            : throw new BenchmarkFormatException($"{where}: '{token}' is not a number");

    public static int Integer(string token, string where) =>
        int.TryParse(token, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int x)
            ? x
            : throw new BenchmarkFormatException($"{where}: '{token}' is not an integer");
}
