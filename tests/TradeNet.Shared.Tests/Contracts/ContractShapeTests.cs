namespace TradeNet.Shared.Tests.Contracts;

/// <summary>
/// The contracts' shape checked in (Contracts/contracts.shape.txt): a property renamed, removed, retyped or added, a proto
/// field renumbered or reused, an event or rpc gone, fails here until the file is updated on purpose, with a note.
/// </summary>
public sealed class ContractShapeTests
{
    private static readonly string Checked = Path.Combine(AppContext.BaseDirectory, "Contracts", "contracts.shape.txt");

    [Fact]
    public void The_contracts_wire_shape_is_the_one_checked_in()
    {
        var expected = File.ReadAllLines(Checked).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var actual = ContractShape.Lines().ToList();

        var gone = expected.Except(actual).ToList();
        var added = actual.Except(expected).ToList();
        var written = Path.Combine(AppContext.BaseDirectory, "contracts.shape.actual.txt");
        if (gone.Count > 0 || added.Count > 0) File.WriteAllLines(written, actual);
        Assert.True(gone.Count == 0 && added.Count == 0,
            "The contracts' wire shape changed (services/Shared/Contracts, services/Shared/Protos).\n" +
            $"In the checked-in shape, not today:\n  {string.Join("\n  ", gone)}\nToday, not checked in:\n  {string.Join("\n  ", added)}\n" +
            "Events wait in outboxes and queues across an upgrade, and replicas of two releases share queues during a rolling one. " +
            "Before updating tests/TradeNet.Shared.Tests/Contracts/contracts.shape.txt with the lines above, think: " +
            "a property renamed or removed loses its value for readers of the other release (add a new one instead and keep the old); " +
            "one added is ignored by older consumers and read as its default from older senders (make it nullable and give absence " +
            "its older meaning: WireCompatibilityTests.Absent); a proto field number is never renumbered or reused; a new event needs " +
            "a sample (Contracts/Wire). Add a '#' note to the file saying what changed, in which commit, and what each release's " +
            "consumer does with the other's messages (today's shape, without the notes, is in " + written + "); say it in docs/operations.md, 'Upgrading', when operators must upgrade in an order.");
    }

    private sealed record ItemsAsText(List<string> Items, IReadOnlyDictionary<string, double?> Prices);

    [Fact]
    public void A_collections_element_type_is_part_of_the_shape()
    {
        // Found in review: every generic type read as its bare name ("List`1"), so List<string> retyped to List<int>
        // passed unseen. No contract is generic today; one may be.
        Assert.Equal("Items: List<string>, Prices: IReadOnlyDictionary<string, double?>", ContractShape.Parameters(typeof(ItemsAsText)));
    }
}
