using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Tests.Sheets;

/// <summary>The numbers hunt on the driver's sheet: a quantity is written to three decimals, and one smaller than that must
/// not read as nothing.</summary>
public class RouteSheetNumbersTests
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static RouteView Carrying(double quantity)
    {
        var goods = new RouteGoods(Guid.NewGuid(), Guid.NewGuid(), 0, "42187", "69123", "cheese", quantity, quantity, ShipmentStatus.Planned);
        return new RouteView(Guid.NewGuid(), "van-1", "42187", 30, 1,
        [
            new RouteStopView(1, "42187", Morning, [goods], []),
            new RouteStopView(2, "69123", Morning.AddHours(1), [], [goods]),
        ]);
    }

    private static SheetContext Paris => new(new Dictionary<string, string> { ["42187"] = "Roanne" }, LogisticsOptions.FindZone("Europe/Paris")!);

    [Fact]
    public void A_leg_of_a_few_milligrams_reads_as_its_quantity_not_as_zero()
    {
        // 0.001 kg of wheat (0.35 a kg) for cheese (18 a kg): a balanced leg of 1.9444444444444445E-05 kg.
        var route = Carrying(0.001 * 0.35 / 18);

        var html = RouteSheet.Html(route, Paris);
        var csv = RouteSheet.Csv(route, Paris);

        Assert.Contains("0.0000194 × cheese (0.0000194 kg)", html);
        Assert.Contains(",cheese,0.0000194,0.0000194,", csv);
    }

    [Fact]
    public void Quantities_of_a_gram_or_more_keep_three_decimals()
    {
        var html = RouteSheet.Html(Carrying(3.0000000000000004), Paris);
        var grams = RouteSheet.Html(Carrying(0.0014), Paris);

        Assert.Contains("3 × cheese (3 kg)", html);
        Assert.Contains("0.001 × cheese (0.001 kg)", grams);
    }
}
