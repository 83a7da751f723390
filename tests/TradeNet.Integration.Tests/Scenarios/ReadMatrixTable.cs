namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// Who may read each GET route, from the docs (README, docs/catalog.md, docs/logistics.md,
/// services/Matching/TradeNet.Matching/README.md, services/Logistics/README.md, docs/architecture.md "Errors"), not
/// from the code; cells as in <see cref="AccessMatrixTable"/>. A key that is presented must be valid even on a public
/// route (the edge checks every key it is given), so a malformed, unknown, revoked or rotated-away key is 401 everywhere.
/// </summary>
public static class ReadMatrixTable
{
    private const string Anyone = "ok   401  401  ok    ok    ok   401   401  ok   ok    ok";
    private const string Operators = "401  401  401  403   403   403  401   401  ok   403   401";
    private const string AnyTown = "401  401  401  ok    ok    ok   401   401  ok   ok    401";
    private const string OwnerOnly404 = "401  401  401  ok    404   404  401   401  ok   404   401";
    private const string BothTowns404 = "401  401  401  ok    ok    404  401   401  ok   404   401";

    private static readonly (string Route, string Row)[] Rows =
    [
        //                                                  none  bad  unkn owner party outs susp  old  ops  spoof forged
        // Catalog reads are public (catalog.md): towns without key material, a suspension's reason for operators only.
        ("GET /api/catalog/towns", Anyone),
        ("GET /api/catalog/towns/{id}", Anyone),
        ("GET /api/catalog/categories", Anyone),
        ("GET /api/catalog/listings", Anyone),
        ("GET /api/catalog/listings/{id}", Anyone),
        // Rounds and the book are operators' (Matching README); a town 403.
        ("GET /api/matching/rounds", Operators),
        ("GET /api/matching/rounds/{id}", Operators),
        ("GET /api/matching/book", Operators),
        // A town lists the trades it gives or receives on (filters only narrow); one trade: not in it 404.
        ("GET /api/matching/trades", AnyTown),
        ("GET /api/matching/trades/{id}", BothTowns404),
        // The listing's town or an operator; another town 403.
        ("GET /api/matching/listings/{id}/counterparts", "401  401  401  ok    403   403  401   401  ok   403   401"),
        // Vehicles: a town its own (the list narrowed to them, another's 404).
        ("GET /api/logistics/vehicles", AnyTown),
        ("GET /api/logistics/vehicles/{id}", OwnerOnly404),
        ("GET /api/logistics/vehicles/{id}/next-run", OwnerOnly404),
        // Routes and their sheets: the carrier town or operators; other towns 404, those whose goods ride it included.
        ("GET /api/logistics/routes/{id}", OwnerOnly404),
        ("GET /api/logistics/routes/{id}/sheet.csv", OwnerOnly404),
        ("GET /api/logistics/routes/{id}/sheet.html", OwnerOnly404),
        // Shipments: the towns it is from, to or carried by (the list narrowed to them), operators; others 404.
        ("GET /api/logistics/shipments", AnyTown),
        ("GET /api/logistics/shipments/{id}", BothTowns404),
        // A trade's cost and transfers: its towns and operators; others 404.
        ("GET /api/logistics/trades/{tradeId}/cost", BothTowns404),
        ("GET /api/logistics/trades/{tradeId}/transfers", BothTowns404),
        // Transfers by status: operators (towns 403).
        ("GET /api/logistics/transfers", Operators),
        // Backups are operators' (docs/operations.md, "Backups and restore"); a town 403.
        ("GET /api/catalog/backups", Operators),
        ("GET /api/matching/backups", Operators),
        ("GET /api/logistics/backups", Operators),
    ];

    public static IReadOnlyList<(string Route, IReadOnlyDictionary<Caller, Expect> Expected)> Routes { get; } =
        Rows.Select(r => (r.Route, AccessMatrixTable.Parse(r.Route, r.Row))).ToList();
}
