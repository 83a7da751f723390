using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>Small hand-made books. Towns sit a few km apart around Roanne unless placed explicitly.</summary>
internal sealed class TestBooks
{
    private readonly List<Category> _categories = [];
    private readonly List<Town> _towns = [];
    private readonly List<Listing> _listings = [];
    private Settings _settings = new();

    public TestBooks Category(string id, double value = 1, string unit = "kg") { _categories.Add(new Category(id, unit, value)); return this; }

    public TestBooks Town(string id, double lat = 46.04, double lon = 4.07) { _towns.Add(new Town(id, id, lat, lon)); return this; }

    public TestBooks Donor(string id, double lat = 46.04, double lon = 4.07) { _towns.Add(new Town(id, id, lat, lon, Donor: true)); return this; }

    public TestBooks Offer(string id, string town, string category, double quantity, double minLot = 0, string[]? attributes = null,
        DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        _listings.Add(new Listing(id, town, ListingKind.Offer, category, quantity, minLot, Attributes: attributes, AvailableFrom: from, AvailableUntil: until));
        return this;
    }

    public TestBooks Need(string id, string town, string category, double quantity, double minLot = 0, string[]? requires = null,
        double? maxKm = null, DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        _listings.Add(new Listing(id, town, ListingKind.Need, category, quantity, minLot, Requires: requires, MaxDistanceKm: maxKm, AvailableFrom: from, AvailableUntil: until));
        return this;
    }

    public TestBooks MaxCycle(int k) { _settings = _settings with { MaxCycleLength = k }; return this; }

    public TestBooks MaxChain(int l) { _settings = _settings with { MaxChainLength = l }; return this; }

    public Book Build() => new(_categories.ToList(), _towns.ToList(), _listings.ToList(), _settings);

    /// <summary>A gives veg to B, B gives wood to C, C gives cheese to A: only a 3-cycle clears anything.</summary>
    public static TestBooks Triangle() => new TestBooks()
        .Category("veg", 2.5).Category("wood", 1).Category("cheese", 10)
        .Town("A").Town("B", 46.05, 4.08).Town("C", 46.06, 4.06)
        .Offer("a-veg", "A", "veg", 100).Need("b-veg", "B", "veg", 80)
        .Offer("b-wood", "B", "wood", 500).Need("c-wood", "C", "wood", 300)
        .Offer("c-cheese", "C", "cheese", 50).Need("a-cheese", "A", "cheese", 30);

    public static void AssertValid(Book book, ClearingResult result, TransportCostPerUnit? transport = null)
    {
        var errors = ResultValidator.Validate(book, result, transport);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }
}
