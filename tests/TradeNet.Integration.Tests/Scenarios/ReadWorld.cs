using System.Net;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>What the read matrix adds to <see cref="AccessWorld"/>: a trade of B with C carried on A's van, so A is a
/// carrier of its legs and nothing more (the docs: such a town reads the shipments it carries, not the trade's cost).</summary>
public static class ReadWorld
{
    /// <summary>Agrees a B–C trade in scenario 8's categories (no other trade's) and plans it onto A's van, the only vehicle.</summary>
    public static async Task<string> CarriedTradeAsync(AccessWorld w)
    {
        var trade = (await w.ProposeAsync([(8, w.B, w.C)]))[0].GetProperty("id").GetString()!;
        await w.AgreeAsync(trade, w.B, w.C);
        await Eventually.Until(() => w.Ops.Send(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers"),
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), $"trade {trade}'s transfers reach logistics");
        await Eventually.Until(async () =>
        {
            await w.Ops.Post("/api/logistics/plans", null, HttpStatusCode.OK);
            return await w.Shipments(trade);
        }, s => s.Count == 2 && s.All(x => x.GetProperty("vehicleId").GetString() == w.VanOfA), TimeSpan.FromSeconds(60),
            "the B–C trade planned onto A's van");
        await w.RefreshHandoverCodesAsync();
        return trade;
    }
}
