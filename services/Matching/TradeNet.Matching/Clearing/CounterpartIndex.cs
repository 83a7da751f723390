using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Clearing;

/// <summary>
/// The tradable book indexed once for the counterparts route, answering exactly as <see cref="Counterparts.Report"/>
/// does. Each category's two sides are flat arrays (town as a number, windows as ticks, attributes as bit sets over the
/// category's own offers' attributes), so a pair is weighed without allocating, and only the first <c>limit</c>
/// counterparts have their reasons written. Whether a town's listing fits someone is worked out once per index: a town
/// asking about each of its listings in turn pays for its town side once. Built for one book; the caller keeps it while
/// the book is the same (<see cref="Holds"/>).
/// </summary>
public sealed class CounterpartIndex
{
    private readonly double _detour;
    private readonly Dictionary<(string Category, ListingKind Kind), Side> _sides = [];
    private readonly Dictionary<string, List<int>> _byTown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _townIds = new(StringComparer.Ordinal);
    private readonly (Side Side, int Slot)[] _slots;
    // Per entry of the book: 0 not worked out yet, 1 fits no one, 2 fits someone. A race computes the same byte twice.
    private readonly byte[] _hasFit;

    public CounterpartIndex(IReadOnlyList<BookEntry> book, double detourFactor)
    {
        Book = book;
        _detour = detourFactor;
        _slots = new (Side, int)[book.Count];
        _hasFit = new byte[book.Count];
        var grouped = new Dictionary<(string, ListingKind), List<int>>();
        for (var i = 0; i < book.Count; i++)
        {
            var e = book[i];
            (grouped.TryGetValue((e.Category, e.Kind), out var members) ? members : grouped[(e.Category, e.Kind)] = []).Add(i);
            (_byTown.TryGetValue(e.TownId, out var own) ? own : _byTown[e.TownId] = []).Add(i);
            _townIds.TryAdd(e.TownId, _townIds.Count);
        }
        var vocabularies = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var ((category, _), members) in grouped.Where(g => g.Key.Item2 == ListingKind.Offer))
            vocabularies[category] = Vocabulary(members.Select(i => book[i].Attributes));
        foreach (var ((category, kind), members) in grouped)
        {
            var side = new Side(this, book, members, vocabularies.GetValueOrDefault(category) ?? new(StringComparer.OrdinalIgnoreCase));
            _sides[(category, kind)] = side;
            for (var slot = 0; slot < members.Count; slot++) _slots[members[slot]] = (side, slot);
        }
    }

    /// <summary>The tradable book this index answers for, in its order.</summary>
    public IReadOnlyList<BookEntry> Book { get; }

    /// <summary>Whether this index answers for <paramref name="book"/>: the same entries, field by field, in the same
    /// order, and the same detour factor.</summary>
    public bool Holds(IReadOnlyList<BookEntry> book, double detourFactor)
    {
        if (book.Count != Book.Count || !detourFactor.Equals(_detour)) return false;
        for (var i = 0; i < book.Count; i++)
            if (!Same(book[i], Book[i])) return false;
        return true;
    }

    /// <summary>What <see cref="Counterparts.Report"/> tells of <paramref name="listing"/> (in the book or not).</summary>
    public CounterpartReport Report(BookEntry listing, int limit)
    {
        var (fitting, notFitting, first) = Own(listing, limit);
        var (townSide, townSideFitting) = (0, 0);
        if (_byTown.TryGetValue(listing.TownId, out var own))
            foreach (var i in own)
            {
                if (Book[i].Kind == listing.Kind) continue;
                townSide++;
                if (HasFit(i)) townSideFitting++;
            }
        return new CounterpartReport(fitting, notFitting, first, townSide, townSideFitting);
    }

    /// <summary>The listing's own counterparts: every reason told as bits, sorted, and sentences for the first only.</summary>
    private (int Fitting, IReadOnlyDictionary<string, int> NotFitting, IReadOnlyList<Counterpart> First) Own(BookEntry listing, int limit)
    {
        if (!_sides.TryGetValue((listing.Category, Other(listing.Kind)), out var side))
            return (0, new Dictionary<string, int>(), []);
        var n = side.Members.Length;
        var reasons = new Reason[n];
        var roadKm = new double[n];
        var order = new int[n];
        // Compared with the listing's own attributes (or requires) directly: the listing may not be in the book.
        var carried = new HashSet<string>(listing.Kind == ListingKind.Offer ? listing.Attributes : [], StringComparer.OrdinalIgnoreCase);
        for (var slot = 0; slot < n; slot++)
        {
            var e = Book[side.Members[slot]];
            var (offer, need) = listing.Kind == ListingKind.Offer ? (listing, e) : (e, listing);
            var reason = Reason.None;
            if (string.Equals(offer.TownId, need.TownId, StringComparison.Ordinal)) reason |= Reason.SameTown;
            if (need.MaxDistanceKm is { } max && Geo.RoadKm(offer.Lat, offer.Lon, need.Lat, need.Lon, _detour) > max) reason |= Reason.Distance;
            if (!(listing.Kind == ListingKind.Offer ? Carries(carried, e.Requires) : Carries(offer.Attributes, need.Requires)))
                reason |= Reason.Attributes;
            if (!Fit.WindowsOverlap(offer, need)) reason |= Reason.Window;
            if (Math.Max(offer.MinLot, need.MinLot) > Math.Min(offer.Available, need.Available)) reason |= Reason.Lots;
            reasons[slot] = reason;
            roadKm[slot] = Geo.RoadKm(listing.Lat, listing.Lon, e.Lat, e.Lon, _detour);
            order[slot] = slot;
        }
        // Counterparts.Of's order: those that fit first, then by road distance and id (ids are unique, so no ties).
        Array.Sort(order, (a, b) =>
        {
            var byFit = (reasons[a] == Reason.None ? 0 : 1).CompareTo(reasons[b] == Reason.None ? 0 : 1);
            if (byFit != 0) return byFit;
            var byKm = roadKm[a].CompareTo(roadKm[b]);
            return byKm != 0 ? byKm : string.CompareOrdinal(Book[side.Members[a]].Id, Book[side.Members[b]].Id);
        });
        var counts = new int[Codes.Length];
        var fitting = 0;
        foreach (var reason in reasons)
        {
            if (reason == Reason.None) fitting++;
            for (var c = 0; c < Codes.Length; c++)
                if ((reason & Codes[c].Reason) != 0) counts[c]++;
        }
        var notFitting = new Dictionary<string, int>();
        for (var c = 0; c < Codes.Length; c++)
            if (counts[c] > 0) notFitting[Codes[c].Code] = counts[c];
        var first = new List<Counterpart>(Math.Min(limit, n));
        foreach (var slot in order.Take(limit))
        {
            var e = Book[side.Members[slot]];
            var (offer, need) = listing.Kind == ListingKind.Offer ? (listing, e) : (e, listing);
            first.Add(new Counterpart(e, roadKm[slot], Counterparts.Why(offer, need, _detour)));
        }
        return (fitting, notFitting, first);
    }

    /// <summary><see cref="Counterparts.HasFit"/> for the book's entry <paramref name="i"/>, worked out once.</summary>
    private bool HasFit(int i)
    {
        if (_hasFit[i] != 0) return _hasFit[i] == 2;
        var (side, slot) = _slots[i];
        var fits = _sides.TryGetValue((Book[i].Category, Other(Book[i].Kind)), out var other) && other.AnyFits(side, slot);
        _hasFit[i] = fits ? (byte)2 : (byte)1;
        return fits;
    }

    private static ListingKind Other(ListingKind kind) => kind == ListingKind.Offer ? ListingKind.Need : ListingKind.Offer;

    private static bool Carries(HashSet<string> carried, IReadOnlyList<string> requires)
    {
        for (var r = 0; r < requires.Count; r++)
            if (!carried.Contains(requires[r])) return false;
        return true;
    }

    /// <summary>Every required attribute carried, equal ignoring case (the fit rule's own test, without allocating).</summary>
    private static bool Carries(IReadOnlyList<string> attributes, IReadOnlyList<string> requires)
    {
        for (var r = 0; r < requires.Count; r++)
        {
            var found = false;
            for (var a = 0; a < attributes.Count && !found; a++) found = StringComparer.OrdinalIgnoreCase.Equals(attributes[a], requires[r]);
            if (!found) return false;
        }
        return true;
    }

    /// <summary>Each attribute the category's offers carry, numbered; equal ignoring case is one attribute, as the fit
    /// rule compares them.</summary>
    private static Dictionary<string, int> Vocabulary(IEnumerable<IReadOnlyList<string>> attributes)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in attributes.SelectMany(list => list))
            if (a is not null) vocabulary.TryAdd(a, vocabulary.Count);
        return vocabulary;
    }

    private static bool Same(BookEntry a, BookEntry b) =>
        a.Id == b.Id && a.TownId == b.TownId && a.Kind == b.Kind && a.Category == b.Category && a.ValuePerUnit.Equals(b.ValuePerUnit)
        && a.WeightPerUnit.Equals(b.WeightPerUnit) && a.Available.Equals(b.Available) && a.MinLot.Equals(b.MinLot)
        && a.Attributes.SequenceEqual(b.Attributes, StringComparer.Ordinal) && a.Requires.SequenceEqual(b.Requires, StringComparer.Ordinal)
        && Nullable.Equals(a.MaxDistanceKm, b.MaxDistanceKm) && Same(a.AvailableFrom, b.AvailableFrom) && Same(a.AvailableUntil, b.AvailableUntil)
        && a.Lat.Equals(b.Lat) && a.Lon.Equals(b.Lon) && a.Version == b.Version && a.Unit == b.Unit;

    // The offset is compared too: the reasons write dates as given.
    private static bool Same(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b is null : b is { } v && a.Value.EqualsExact(v);

    [Flags]
    private enum Reason : byte { None = 0, SameTown = 1, Distance = 2, Attributes = 4, Window = 8, Lots = 16 }

    // In the codes' ordinal order, as the route counts them.
    private static readonly (string Code, Reason Reason)[] Codes =
    [
        (NoFitReason.Attributes, Reason.Attributes), (NoFitReason.Distance, Reason.Distance), (NoFitReason.Lots, Reason.Lots),
        (NoFitReason.SameTown, Reason.SameTown), (NoFitReason.Window, Reason.Window),
    ];

    /// <summary>One category's listings of one kind, as arrays indexed by slot.</summary>
    private sealed class Side
    {
        private readonly CounterpartIndex _index;
        private readonly int[] _town;
        private readonly double[] _minLot, _available, _lat, _lon, _maxKm;
        private readonly long[] _from, _until;
        // Offers: the attributes carried; needs: those required. _words per slot.
        private readonly ulong[] _bits;
        private readonly int _words;
        // A need requiring what no offer of the category carries, or a list with a null in it (weighed by the rule itself).
        private readonly bool[] _unmatched, _plain;

        public Side(CounterpartIndex index, IReadOnlyList<BookEntry> book, List<int> members, Dictionary<string, int> vocabulary)
        {
            _index = index;
            Members = [.. members];
            var n = Members.Length;
            (_town, _minLot, _available, _lat, _lon, _maxKm) = (new int[n], new double[n], new double[n], new double[n], new double[n], new double[n]);
            (_from, _until, _unmatched, _plain) = (new long[n], new long[n], new bool[n], new bool[n]);
            _words = (vocabulary.Count + 63) / 64;
            _bits = new ulong[n * _words];
            for (var s = 0; s < n; s++)
            {
                var e = book[Members[s]];
                _town[s] = index._townIds[e.TownId];
                (_minLot[s], _available[s], _lat[s], _lon[s]) = (e.MinLot, e.Available, e.Lat, e.Lon);
                _maxKm[s] = e.MaxDistanceKm ?? double.NaN;
                _from[s] = e.AvailableFrom?.UtcTicks ?? long.MinValue;
                _until[s] = e.AvailableUntil?.UtcTicks ?? long.MaxValue;
                var list = e.Kind == ListingKind.Offer ? e.Attributes : e.Requires;
                foreach (var a in list)
                {
                    if (a is null) _plain[s] = true;
                    else if (vocabulary.TryGetValue(a, out var bit)) _bits[s * _words + bit / 64] |= 1UL << (bit % 64);
                    else _unmatched[s] = true;
                }
            }
        }

        /// <summary>Book positions, in the book's order.</summary>
        public int[] Members { get; }

        /// <summary>Whether some listing of this side fits the <paramref name="slot"/> of the other side <paramref name="of"/>
        /// (same category, other kind): <see cref="Counterparts.HasFit"/>'s rule, condition by condition.</summary>
        public bool AnyFits(Side of, int slot)
        {
            var ofOffer = _index.Book[of.Members[slot]].Kind == ListingKind.Offer;
            // A need requiring what no offer here carries fits none of them.
            if (!ofOffer && of._unmatched[slot] && !of._plain[slot]) return false;
            for (var s = 0; s < Members.Length; s++)
            {
                var (o, os, n, ns) = ofOffer ? (of, slot, this, s) : (this, s, of, slot);
                if (o._town[os] == n._town[ns]) continue;
                if (!(Math.Max(o._minLot[os], n._minLot[ns]) <= Math.Min(o._available[os], n._available[ns]))) continue;
                if (Math.Max(o._from[os], n._from[ns]) > Math.Min(o._until[os], n._until[ns])) continue;
                if (o._plain[os] || n._plain[ns])
                {
                    if (!Carries(_index.Book[o.Members[os]].Attributes, _index.Book[n.Members[ns]].Requires)) continue;
                }
                else if (n._unmatched[ns] || !Subset(n._bits, ns, o._bits, os)) continue;
                var max = n._maxKm[ns];
                if (!double.IsNaN(max) && Geo.RoadKm(o._lat[os], o._lon[os], n._lat[ns], n._lon[ns], _index._detour) > max) continue;
                return true;
            }
            return false;
        }

        private bool Subset(ulong[] required, int need, ulong[] carried, int offer)
        {
            for (var w = 0; w < _words; w++)
                if ((required[need * _words + w] & ~carried[offer * _words + w]) != 0) return false;
            return true;
        }
    }
}
