using CsCheck;
using TradeNet.Matching.Benchmarks;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>Random books: a seeded "realistic" one for example tests and CsCheck generators for properties.</summary>
internal static class RandomBooks
{
    private static readonly string[] Attrs = ["organic", "local"];

    /// <summary>Towns within ~60 km of Roanne, 4 goods, lognormal-ish quantities, some min lots and limits.</summary>
    public static Book Realistic(int seed, int towns, int listings, bool minLots = true)
    {
        var rng = new Random(seed);
        var cats = new[] { new Category("veg", "kg", 2.5), new Category("wood", "kg", 0.2), new Category("cheese", "kg", 14), new Category("repair", "hour", 35) };
        var ts = Enumerable.Range(0, towns).Select(i => new Town($"T{i}", $"Town {i}", 46.04 + (rng.NextDouble() - 0.5) * 0.8, 4.07 + (rng.NextDouble() - 0.5) * 1.1)).ToList();
        var ls = new List<Listing>();
        for (var i = 0; i < listings; i++)
        {
            var cat = cats[rng.Next(cats.Length)];
            var quantity = Math.Round(Math.Exp(Math.Log(300) + rng.NextDouble() * 1.5 - 0.75) / cat.Value, 1) + 1;
            var minLot = minLots && rng.NextDouble() < 0.4 ? Math.Round(quantity * rng.NextDouble() * 0.3, 1) : 0;
            var town = ts[rng.Next(ts.Count)].Id;
            ls.Add(rng.NextDouble() < 0.5
                ? new Listing($"L{i}", town, ListingKind.Offer, cat.Id, quantity, minLot, Attributes: rng.NextDouble() < 0.5 ? ["organic"] : null)
                : new Listing($"L{i}", town, ListingKind.Need, cat.Id, quantity, minLot, Requires: rng.NextDouble() < 0.2 ? ["organic"] : null,
                    MaxDistanceKm: rng.NextDouble() < 0.7 ? 40 + rng.Next(60) : null));
        }
        return new Book(cats, ts, ls, new Settings());
    }

    /// <summary>Like <see cref="Realistic"/> over the catalog's kinds of goods: half of them counted in pieces, with the
    /// catalog's values per piece (solar panels 180, bicycles 150, furniture 120, pottery 15, soap 4, eggs 0.4), whole
    /// quantities and lots of pieces.</summary>
    public static Book Pieces(int seed, int towns, int listings, int maxCycle = 3)
    {
        var rng = new Random(seed);
        var cats = new[]
        {
            new Category("veg", "kg", 2.5), new Category("cheese", "kg", 18), new Category("repair", "hour", 25),
            new Category("panels", "piece", 180), new Category("bicycles", "piece", 150), new Category("furniture", "piece", 120),
            new Category("pottery", "piece", 15), new Category("soap", "piece", 4), new Category("eggs", "piece", 0.4),
        };
        var ts = Enumerable.Range(0, towns).Select(i => new Town($"T{i}", $"Town {i}", 46.04 + (rng.NextDouble() - 0.5) * 0.8, 4.07 + (rng.NextDouble() - 0.5) * 1.1)).ToList();
        var ls = new List<Listing>();
        for (var i = 0; i < listings; i++)
        {
            var cat = cats[rng.Next(cats.Length)];
            var pieces = cat.Unit == "piece";
            var raw = Math.Exp(Math.Log(400) + rng.NextDouble() * 2 - 1) / cat.Value;
            var quantity = Math.Max(1, pieces ? Math.Round(raw) : Math.Round(raw, 1));
            var minLot = rng.NextDouble() < 0.4 ? Math.Max(pieces ? 1 : 0.1, pieces ? Math.Round(quantity * rng.NextDouble() * 0.2) : Math.Round(quantity * rng.NextDouble() * 0.2, 1)) : 0;
            var town = ts[rng.Next(ts.Count)].Id;
            ls.Add(rng.NextDouble() < 0.5
                ? new Listing($"L{i}", town, ListingKind.Offer, cat.Id, quantity, minLot)
                : new Listing($"L{i}", town, ListingKind.Need, cat.Id, quantity, minLot, MaxDistanceKm: rng.NextDouble() < 0.7 ? 40 + rng.Next(60) : null));
        }
        return new Book(cats, ts, ls, new Settings(maxCycle));
    }

    /// <summary>Small books with every feature: 2–6 towns, 1–3 goods, min lots, attributes, distance limits, K 2..4.</summary>
    public static readonly Gen<Book> Small =
        from townCount in Gen.Int[2, 6]
        from coords in Gen.Double[0, 0.6].Array[townCount * 2]
        from values in Gen.Int[0, 2].Select(i => new[] { 1.0, 2.5, 10.0 }[i]).Array[Gen.Int[1, 3]]
        from k in Gen.Int[2, 4]
        from raw in Gen.Select(Gen.Int[0, townCount - 1], Gen.Bool, Gen.Int[0, values.Length - 1], Gen.Int[1, 60], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 4])
            .Array[2, 16]
        select Build(townCount, coords, values, k, raw);

    private static Book Build(int townCount, double[] coords, double[] values, int k, (int Town, bool Offer, int Cat, int Qty, int Lot, int Attr, int Dist)[] raw)
    {
        var cats = values.Select((v, i) => new Category($"c{i}", "kg", v)).ToList();
        var towns = Enumerable.Range(0, townCount).Select(i => new Town($"T{i}", $"T{i}", 45.9 + coords[2 * i], 3.9 + coords[2 * i + 1])).ToList();
        var listings = raw.Select((r, i) =>
        {
            // Lot is 0, or a quarter, half or all of the quantity.
            var minLot = r.Lot == 0 ? 0 : r.Qty * r.Lot / 4.0;
            var attrs = r.Attr == 0 ? null : Attrs.Where((_, j) => ((r.Attr >> j) & 1) == 1).ToList();
            return r.Offer
                ? new Listing($"L{i}", $"T{r.Town}", ListingKind.Offer, $"c{r.Cat}", r.Qty, minLot, Attributes: attrs)
                : new Listing($"L{i}", $"T{r.Town}", ListingKind.Need, $"c{r.Cat}", r.Qty, minLot,
                    Requires: r.Attr == 3 ? ["organic"] : null, MaxDistanceKm: r.Dist == 0 ? 30 : null);
        }).ToList();
        return new Book(cats, towns, listings, new Settings(k, 1.3));
    }

    /// <summary>Whole-lot books: one good of value 1, every listing 1 unit with min lot 1, random compatibility by attributes.</summary>
    public static readonly Gen<Book> WholeLots =
        from townCount in Gen.Int[2, 5]
        from k in Gen.Int[2, 4]
        from raw in Gen.Select(Gen.Int[0, townCount - 1], Gen.Bool, Gen.Int[0, 3]).Array[2, 12]
        select new Book(
            [new Category("g", "piece", 1)],
            Enumerable.Range(0, townCount).Select(i => new Town($"T{i}", $"T{i}", 46, 4 + i * 0.01)).ToList(),
            raw.Select((r, i) => r.Item2
                ? new Listing($"L{i}", $"T{r.Item1}", ListingKind.Offer, "g", 1, 1, Attributes: r.Item3 == 0 ? null : Attrs.Where((_, j) => ((r.Item3 >> j) & 1) == 1).ToList())
                : new Listing($"L{i}", $"T{r.Item1}", ListingKind.Need, "g", 1, 1, Requires: r.Item3 == 3 ? ["organic"] : null)).ToList(),
            new Settings(k, 1.3));

    /// <summary>Small books whose goods are counted in pieces, with whole pieces on: 2–6 towns, 1–3 goods of 1–180 credits
    /// a piece (with a good in kg among them now and then), whole quantities and lots, attributes, K 2..4.</summary>
    public static readonly Gen<Book> SmallPieces =
        from book in Small
        from values in Gen.Int[0, 5].Select(i => new[] { 0.4, 1.5, 4, 15, 150, 180 }[i]).Array[3]
        from kg in Gen.Int[0, 3]
        select book with
        {
            Categories = book.Categories.Select((c, i) => c with { Unit = i == kg ? "kg" : "piece", Value = values[i] }).ToList(),
            Settings = book.Settings! with { WholePieces = true },
        };

    /// <summary>Tiny books counted in pieces for the brute force: 2–4 towns, 1–2 goods worth 1, 2 or 3 a piece, 1–4 pieces
    /// a listing, lots of 0–2 pieces, K 2..4, whole pieces on.</summary>
    public static readonly Gen<Book> TinyPieces =
        from townCount in Gen.Int[2, 4]
        from k in Gen.Int[2, 4]
        from values in Gen.Int[1, 3].Array[Gen.Int[1, 2]]
        from raw in Gen.Select(Gen.Int[0, townCount - 1], Gen.Bool, Gen.Int[0, values.Length - 1], Gen.Int[1, 4], Gen.Int[0, 2]).Array[4, 10]
        select new Book(
            values.Select((v, i) => new Category($"g{i}", "piece", v)).ToList(),
            Enumerable.Range(0, townCount).Select(i => new Town($"T{i}", $"T{i}", 46, 4 + i * 0.01)).ToList(),
            raw.Select((r, i) => new Listing($"L{i}", $"T{r.Item1}", r.Item2 ? ListingKind.Offer : ListingKind.Need, $"g{r.Item3}", r.Item4,
                Math.Min(r.Item5, r.Item4))).ToList(),
            new Settings(k, 1.3, WholePieces: true));

    /// <summary>The books with one or two towns made donors (their needs dropped) and chains of 1..3 legs.</summary>
    public static Gen<Book> WithDonors(Gen<Book> books) =>
        from book in books
        from donors in Gen.Int[1, 2]
        from chainCap in Gen.Int[1, 3]
        select BookGenerator.WithDonors(book, donors, chainCap);
}
