namespace TradeNet.Logistics.Planner;

/// <summary>Weights and volumes as the solver counts them, in whole thousandths (grams, litres). A leg's weight is its value
/// over a price, so it carries float noise (1000 kg of wheat in a trade of 350 credits is 1000.0000000000001 kg); a load is
/// rounded up and a capacity down, each past a noise of a millionth (the validator's and catalog's 1e-6), so no vehicle
/// carries more than its capacity and none refuses a load it holds but for noise.</summary>
internal static class Thousandths
{
    private const double Noise = 1e-3; // in thousandths: 1e-6 kg or m³

    public static long Load(double amount) => (long)Math.Ceiling(amount * 1000 - Noise);

    public static long Capacity(double amount) => (long)Math.Floor(amount * 1000 + Noise);
}
