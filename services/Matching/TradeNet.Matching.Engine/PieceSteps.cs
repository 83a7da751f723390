namespace TradeNet.Matching.Engine;

/// <summary>
/// Whole pieces (<see cref="Settings.WholePieces"/>): a good whose category unit is <c>piece</c> (bicycles, solar
/// panels, eggs) changes hands whole, so a leg of it carries a multiple of its value per piece, and a cycle's value V
/// — the same on every leg — a multiple of the least common multiple of its piece legs' values per piece, its
/// <b>step</b> (panels at 180 and bicycles at 150: 900, 5 panels for 6 bicycles). Values are compared on a grid of a
/// millionth, as the matching service's own pass does: the catalog's values (0.35, 1.5, 180) sit on it exactly.
/// </summary>
public static class PieceSteps
{
    public const string Unit = "piece";

    /// <summary>The step of a cycle whose piece legs have these values per piece (their least common multiple on the
    /// grid), 0 for none, or null when it is beyond any trade's value.</summary>
    public static double? Step(IEnumerable<double> valuesPerPiece)
    {
        long step = 1;
        var any = false;
        foreach (var value in valuesPerPiece)
        {
            step = Lcm(step, OnGrid(value));
            any = true;
            if (step == 0) return null;
        }
        return any ? step / Grid : 0;
    }

    /// <summary>Values per piece as whole millionths.</summary>
    internal const double Grid = 1e6;

    // A step beyond this (a thousand million credits) is more than any listing holds: the cycle can carry nothing.
    private const long MaxStepOnGrid = 1_000_000_000_000_000;

    public static bool IsPiece(string unit) => string.Equals(unit, Unit, StringComparison.OrdinalIgnoreCase);

    /// <summary>A value per piece on the grid (at least one millionth; one beyond any step is capped just past it, so that
    /// its steps come out unusable instead of overflowing).</summary>
    internal static long OnGrid(double valuePerPiece) => (long)Math.Clamp(Math.Round(valuePerPiece * Grid), 1, MaxStepOnGrid + 1);

    /// <summary>The least common multiple of two grid values, or 0 when it exceeds <see cref="MaxStepOnGrid"/> (unusable).</summary>
    internal static long Lcm(long a, long b)
    {
        if (a == 0 || b == 0) return 0;
        var (x, y) = (a, b);
        while (y != 0) (x, y) = (y, x % y);
        var factor = a / x;
        return factor > MaxStepOnGrid / b ? 0 : factor * b;
    }

    /// <summary>The largest multiple of <paramref name="step"/> in <paramref name="value"/> (a billionth of a step of float
    /// noise is forgiven); <paramref name="value"/> itself without a step (0), and 0 for an unusable one (∞).</summary>
    internal static double Floor(double value, double step) =>
        step <= 0 ? value : double.IsFinite(step) ? Math.Floor(value / step + 1e-9) * step : 0;

    /// <summary>The smallest multiple of <paramref name="step"/> that is at least <paramref name="value"/> and one step.</summary>
    internal static double Ceiling(double value, double step) =>
        step <= 0 ? value : double.IsFinite(step) ? Math.Max(1, Math.Ceiling(value / step - 1e-9)) * step : double.PositiveInfinity;

    /// <summary>Whether a quantity of pieces is whole, within float noise.</summary>
    internal static bool IsWhole(double quantity) => Math.Abs(quantity - Math.Round(quantity)) <= 1e-9 * Math.Max(1, Math.Abs(quantity));
}
