using TradeNet.Contracts;

namespace TradeNet.Logistics.Tests;

/// <summary>Real places around Roanne (coordinates from the ARA towns dataset) and trades between them.</summary>
internal static class Towns
{
    public static readonly TradePoint Roanne = new(46.0367, 4.0683);
    public static readonly TradePoint SaintEtienne = new(45.4397, 4.3872);
    public static readonly TradePoint Lyon = new(45.7640, 4.8357);
    /// <summary>On the road from Roanne to Lyon.</summary>
    public static readonly TradePoint Tarare = new(45.8964, 4.4331);

    /// <summary>Fresh town ids per test, so tests sharing a host never see each other's shipments.</summary>
    public static (string A, string B, string C) Fresh()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        return ($"roanne-{tag}", $"lyon-{tag}", $"saint-etienne-{tag}");
    }

    /// <summary>A two-town swap: A gives cheese to B, B gives firewood to A.</summary>
    public static TradeAgreed Swap(Guid tradeId, string a, string b, DateTimeOffset? availableFrom = null) =>
        new(tradeId,
        [
            new TradeLeg(0, a, b, "offer-a", "need-b", "cheese", 40, 400, 40, Roanne, Lyon, availableFrom, null),
            new TradeLeg(1, b, a, "offer-b", "need-a", "firewood", 2, 400, 900, Lyon, Roanne, availableFrom, null),
        ]);

    /// <summary>A swap between any two places: <paramref name="a"/> gives <paramref name="category"/> to <paramref name="b"/>,
    /// <paramref name="b"/> gives firewood back.</summary>
    public static TradeAgreed SwapBetween(Guid tradeId, string a, TradePoint atA, string b, TradePoint atB, string category = "cheese",
        double quantity = 40) =>
        new(tradeId,
        [
            new TradeLeg(0, a, b, "offer-a", "need-b", category, quantity, 400, quantity, atA, atB, null, null),
            new TradeLeg(1, b, a, "offer-b", "need-a", "firewood", 2, 400, 900, atB, atA, null, null),
        ]);
}
