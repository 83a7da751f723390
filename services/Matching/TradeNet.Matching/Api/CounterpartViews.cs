using TradeNet.Matching.Clearing;

namespace TradeNet.Matching.Api;

/// <summary>A listing as the next round sees it and what could be its other side. <see cref="InBook"/> false: the round
/// leaves the listing out (<see cref="NotInBookReason"/> says why), and its counterparts are told as if it had what it
/// lists. <see cref="Fitting"/> counts the counterparts that fit, <see cref="NotFitting"/> the others per reason (one
/// counterpart may have several). <see cref="TownSide"/>: the town's own listings of the other kind in the book, since a
/// trade is a cycle in which the town both gives and receives.</summary>
public sealed record CounterpartsView(string ListingId, string TownId, string Kind, string Category, double Available, double Held,
    double MinLot, bool InBook, string? NotInBookReason, int Fitting, IReadOnlyDictionary<string, int> NotFitting, TownSideView TownSide,
    CounterpartView[] Counterparts);

/// <summary>The town's listings of <see cref="Kind"/> in the book, and how many of them fit some other town's listing.</summary>
public sealed record TownSideView(string Kind, int Listings, int Fitting);

public sealed record CounterpartView(string ListingId, string TownId, double Available, double MinLot, double RoadKm, bool Fits,
    NoFitReason[] Reasons)
{
    public static CounterpartView From(Counterpart c) => new(c.Listing.Id, c.Listing.TownId, c.Listing.Available, c.Listing.MinLot,
        Math.Round(c.RoadKm, 1), c.Fits, [.. c.Reasons]);
}
