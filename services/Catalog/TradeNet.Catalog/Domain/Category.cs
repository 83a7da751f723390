namespace TradeNet.Catalog.Domain;

/// <summary>What can be traded, with the reference value matching balances trades by.</summary>
/// <param name="Perishable">Needs chilled or fast transport.</param>
public sealed record Category(
    string Id,
    string Name,
    string Family,
    string Unit,
    double ValuePerUnit,
    double WeightPerUnit,
    bool Perishable);

public static class Units
{
    public const string Kg = "kg";
    public const string Litre = "l";
    public const string Piece = "piece";
    public const string KWh = "kWh";
    public const string Hour = "hour";

    public static readonly string[] All = [Kg, Litre, Piece, KWh, Hour];
}
