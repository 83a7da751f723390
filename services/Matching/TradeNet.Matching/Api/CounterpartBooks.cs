using TradeNet.Matching.Clearing;

namespace TradeNet.Matching.Api;

/// <summary>The last book the counterparts route indexed, kept while the book stays the same: a town asking about each
/// of its listings in turn, between two changes to the book, has it indexed once and its town side worked out once.</summary>
internal sealed class CounterpartBooks
{
    private volatile CounterpartIndex? _last;

    /// <summary>The index of <paramref name="book"/>: the last one when it holds for this book, else a new one.</summary>
    public CounterpartIndex For(IReadOnlyList<BookEntry> book, double detourFactor)
    {
        if (_last is { } last && last.Holds(book, detourFactor)) return last;
        return _last = new CounterpartIndex(book, detourFactor);
    }
}
