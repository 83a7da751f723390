using CsCheck;
using TradeNet.Matching.Clearing;

namespace TradeNet.Matching.Tests.Clearing;

/// <summary>The indexed answer against the rule it replaces (<see cref="Counterparts.Report"/>, the oracle), on random books.</summary>
public class CounterpartIndexTests
{
    private static readonly (string Town, double Lat, double Lon)[] Towns =
    [
        ("roanne", 46.0367, 4.0683), ("riorges", 46.0430, 4.0400), ("lyon", 45.7640, 4.8357), ("vichy", 46.1277, 3.4260),
        ("mably", 46.0667, 4.0667), ("roanne-bis", 46.0367, 4.0683),
    ];

    private static readonly string[] Categories = ["cheese", "firewood", "repair"];

    // Case variants are one attribute to the rule; "wide" adds 70 more so a category needs more than one 64-bit word.
    private static readonly string[] Attributes = ["organic", "Organic", "LOCAL", "local", "fresh", "attr-3", "attr-66"];
    private static readonly string[] Wide = [.. Enumerable.Range(0, 70).Select(i => $"attr-{i}")];

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Gen<BookEntry> Entry = Gen.Select(
        Gen.Select(Gen.Int[0, Towns.Length - 1], Gen.Bool, Gen.Int[0, Categories.Length - 1], Gen.Int[0, 60], Gen.Int[0, 15]),
        Gen.Select(Gen.Int[0, Attributes.Length - 1].Array[0, 3], Gen.Int[0, 9], Gen.Int[0, 5], Gen.Int[0, 4]),
        (a, b) =>
        {
            var (town, need, category, quantity, minLot) = a;
            var (attributes, wide, window, distance) = b;
            var (id, lat, lon) = Towns[town];
            var listed = attributes.Select(i => Attributes[i]).Concat(wide == 0 && !need ? Wide : []).ToArray();
            DateTimeOffset? from = window is 0 or 5 ? null : Start.AddDays(window * 2);
            DateTimeOffset? until = window is 0 or 4 ? null : Start.AddDays(window * 2 + 2).ToOffset(TimeSpan.FromHours(1));
            return new BookEntry("", id, need ? ListingKind.Need : ListingKind.Offer, Categories[category], 12, 1.1, quantity, minLot,
                need ? [] : listed, need ? listed : [], need && distance > 0 ? distance * 25 : null, from, until, lat, lon, 1);
        });

    private static readonly Gen<(BookEntry[] Book, BookEntry Outside, int Limit)> Case = Gen.Select(Entry.Array[0, 60], Entry, Gen.Int[1, 70],
        (entries, outside, limit) => (entries.Select((e, i) => e with { Id = $"l{(i * 37) % 101:D3}" }).ToArray(), outside with { Id = "outside" }, limit));

    [Fact]
    public void The_index_answers_every_listing_of_a_random_book_exactly_as_the_rule_it_replaces()
    {
        Case.Sample(c =>
        {
            var index = new CounterpartIndex(c.Book, 1.3);
            // Asked twice: the second answer uses what the first worked out of the town side.
            foreach (var listing in c.Book.Append(c.Outside).Concat(c.Book))
                AssertSame(Counterparts.Report(listing, c.Book, 1.3, c.Limit), index.Report(listing, c.Limit), listing.Id);
        }, iter: 300);
    }

    [Fact]
    public void The_index_holds_for_the_same_book_only()
    {
        BookEntry[] book =
        [
            Books.Offer("o", "roanne", "cheese", 10, 12, attributes: ["organic"], until: Start.AddDays(3)),
            Books.Need("n", "riorges", "cheese", 10, 12, requires: ["Organic"], maxKm: 30), Books.Offer("w", "lyon", "firewood", 5, 1),
        ];
        var index = new CounterpartIndex(book, 1.3);
        var copy = book.Select(e => e with { Attributes = [.. e.Attributes], Requires = [.. e.Requires] }).ToArray();

        Assert.True(index.Holds(copy, 1.3));
        Assert.False(index.Holds(copy, 1.4));
        Assert.False(index.Holds(copy[1..], 1.3));
        Assert.False(index.Holds([copy[0] with { Available = copy[0].Available + 1 }, .. copy[1..]], 1.3));
        Assert.False(index.Holds([copy[0] with { Requires = [.. copy[0].Requires, "organic"] }, .. copy[1..]], 1.3));
        Assert.False(index.Holds([copy[0] with { AvailableUntil = Start.AddDays(99) }, .. copy[1..]], 1.3));
    }

    private static void AssertSame(CounterpartReport expected, CounterpartReport actual, string listing)
    {
        Assert.True((expected.Fitting, expected.TownSide, expected.TownSideFitting) == (actual.Fitting, actual.TownSide, actual.TownSideFitting),
            $"{listing}: fitting, town side {(expected.Fitting, expected.TownSide, expected.TownSideFitting)} but {(actual.Fitting, actual.TownSide, actual.TownSideFitting)}");
        Assert.Equal(expected.NotFitting.ToList(), actual.NotFitting.ToList());
        Assert.Equal(expected.First.Select(c => (c.Listing.Id, c.RoadKm, c.Fits)), actual.First.Select(c => (c.Listing.Id, c.RoadKm, c.Fits)));
        for (var i = 0; i < expected.First.Count; i++)
        {
            Assert.Same(expected.First[i].Listing, actual.First[i].Listing);
            Assert.Equal(expected.First[i].Reasons, actual.First[i].Reasons);
        }
    }
}
