namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>Who calls a route in the access matrix. Owner, party and outsider are relative to the route's target (the
/// scene says which towns they are); the others are the same towns for every route.</summary>
public enum Caller
{
    /// <summary>No <c>X-Api-Key</c> at all.</summary>
    NoKey,
    /// <summary>A key that cannot be one (spaces): the edge answers without asking catalog.</summary>
    MalformedKey,
    /// <summary>Well formed, but no town's and no operator's.</summary>
    UnknownKey,
    /// <summary>The town that owns the target (the listing's town, the vehicle's home, the shipment's or route's carrier,
    /// the town giving the leg, the town itself).</summary>
    Owner,
    /// <summary>A town of the same trade (or, for a town or listing, the owner's trading partner) that does not own the target.</summary>
    Party,
    /// <summary>A town with no part in anything of the target.</summary>
    Outsider,
    /// <summary>A town an operator suspended (its key revoked).</summary>
    Suspended,
    /// <summary>Town A's key from before it rotated it.</summary>
    RotatedOldKey,
    Operator,
    /// <summary>The outsider's valid key with identity headers naming the owner (X-Town-Id, X-Operator, X-Forwarded-User,
    /// X-TradeNet-*) and a genuinely signed internal operator token in Authorization: must act as the outsider.</summary>
    SpoofedHeaders,
    /// <summary>No key, only a genuinely signed internal operator token in Authorization: must act as no key.</summary>
    ForgedToken,
}

/// <summary>What a caller must get. Refusals are exact where the docs are; <see cref="Refused"/> is "403 or 404".</summary>
public enum Expect { Allowed, Unauthorized, Forbidden, NotFound, Refused, NotApplicable }

/// <summary>
/// The access matrix, from the docs (README, docs/architecture.md "Errors", docs/catalog.md, docs/logistics.md,
/// services/Matching/TradeNet.Matching/README.md, services/Logistics/README.md), not from the code:
/// ok = allowed; 401 = the edge or the service wants a valid key; 403 = the route is not for this role, or the caller is
/// of the record but may not do this; 404 = not the caller's to see (trades, shipments, vehicles, routes: ids reveal
/// nothing); 4xx = 403 or 404; "-" = the target has no such town.
/// Every key of a suspended town and every key replaced by a rotation is refused at the edge (401) once the
/// revoked-key feed has told it (~2 s; the matrix waits for that before it starts).
/// </summary>
public static class AccessMatrixTable
{
    public static readonly Caller[] Columns =
    [
        Caller.NoKey, Caller.MalformedKey, Caller.UnknownKey, Caller.Owner, Caller.Party, Caller.Outsider,
        Caller.Suspended, Caller.RotatedOldKey, Caller.Operator, Caller.SpoofedHeaders, Caller.ForgedToken,
    ];

    // Order matters: the matrix runs the routes in this order, each one's allowed calls setting up later targets.
    private static readonly (string Route, string Row)[] Rows =
    [
        //                                                         none  bad  unkn owner party outs susp  old  ops  spoof forged
        // Registration is open to anyone; an operator may also register a suspended town's lookalike.
        ("POST /api/catalog/towns",                              "ok   401  401  ok    ok    ok   401   401  ok   ok    ok"),
        // The town itself or an operator; another town 403 (towns are public).
        ("PUT /api/catalog/towns/{id}",                          "401  401  401  ok    403   403  401   401  ok   403   401"),
        ("POST /api/catalog/towns/{id}/api-key",                 "401  401  401  ok    403   403  401   401  ok   403   401"),
        // Listings are public: another town's change is 403. Only towns publish or change; operators may withdraw.
        ("POST /api/catalog/listings",                           "401  401  401  ok    ok    ok   401   401  403  ok    401"),
        ("PUT /api/catalog/listings/{id}",                       "401  401  401  ok    403   403  401   401  403  403   401"),
        ("DELETE /api/catalog/listings/{id}",                    "401  401  401  ok    403   403  401   401  ok   403   401"),
        // Operators run rounds; a town 403.
        ("POST /api/matching/rounds",                            "401  401  401  403   403   403  401   401  ok   403   401"),
        // Operators take and delete backups (docs/operations.md, "Backups and restore"); a town 403 (before the suspensions below, which
        // revoke the keys of the towns they target).
        ("POST /api/catalog/backups",                            "401  401  401  403   403   403  401   401  ok   403   401"),
        ("POST /api/matching/backups",                           "401  401  401  403   403   403  401   401  ok   403   401"),
        ("POST /api/logistics/backups",                          "401  401  401  403   403   403  401   401  ok   403   401"),
        ("DELETE /api/catalog/backups/{id}",                     "401  401  401  403   403   403  401   401  ok   403   401"),
        ("DELETE /api/matching/backups/{id}",                    "401  401  401  403   403   403  401   401  ok   403   401"),
        ("DELETE /api/logistics/backups/{id}",                   "401  401  401  403   403   403  401   401  ok   403   401"),
        // Towns answer the legs they give (both towns of a swap give one); not in the trade 404; operators 403.
        ("POST /api/matching/trades/{id}/accept",                "401  401  401  ok    ok    404  401   401  403  404   401"),
        ("POST /api/matching/trades/{id}/reject",                "401  401  401  ok    ok    404  401   401  403  404   401"),
        // Only the giving town answers a leg (the other town of the trade 403; not in the trade 404).
        ("POST /api/matching/trades/{id}/legs/{index}/accept",   "401  401  401  ok    403   404  401   401  403  404   401"),
        ("POST /api/matching/trades/{id}/legs/{index}/reject",   "401  401  401  ok    403   404  401   401  403  404   401"),
        // Operators cancel (anonymous 401, town 403).
        ("POST /api/matching/trades/{id}/cancel",                "401  401  401  403   403   403  401   401  ok   403   401"),
        // A town registers vehicles at home, an operator for any town; the owning town or operators change or withdraw
        // one (other towns 404, as for a read).
        ("POST /api/logistics/vehicles",                         "401  401  401  ok    ok    ok   401   401  ok   ok    401"),
        ("PUT /api/logistics/vehicles/{id}",                     "401  401  401  ok    404   404  401   401  ok   404   401"),
        ("DELETE /api/logistics/vehicles/{id}",                  "401  401  401  ok    404   404  401   401  ok   404   401"),
        // Operators take a route back (towns, the carrier included, 403), then plan (towns 403).
        ("POST /api/logistics/routes/{id}/replan",               "401  401  401  403   403   403  401   401  ok   403   401"),
        ("POST /api/logistics/plans",                            "401  401  401  403   403   403  401   401  ok   403   401"),
        // Reports: the carrier or an operator, and for a delivery the receiving town too; the shipment's other town 403,
        // towns outside it 404 (as for a read).
        ("POST /api/logistics/shipments/{id}/pickup",            "401  401  401  ok    403   404  401   401  ok   404   401"),
        ("POST /api/logistics/shipments/{id}/delivery",          "401  401  401  ok    ok    404  401   401  ok   404   401"),
        ("POST /api/logistics/shipments/{id}/failure",           "401  401  401  ok    403   404  401   401  ok   404   401"),
        // Operators release a held transfer (towns 403).
        ("POST /api/logistics/transfers/{id}/release",           "401  401  401  403   403   403  401   401  ok   403   401"),
        // Stop reports: the carrier town or operators; a route is the carrier's to read, so other towns 404 as for a read.
        ("POST /api/logistics/routes/{id}/stops/{sequence}/done",    "401  401  401  ok    404   404  401   401  ok   404   401"),
        ("POST /api/logistics/routes/{id}/stops/{sequence}/failure", "401  401  401  ok    404   404  401   401  ok   404   401"),
        // Operators suspend (a town 403) and reinstate. The target of the reinstatement is the suspended town, whose own key
        // is revoked (owner 401); it has no trading partner.
        ("POST /api/catalog/towns/{id}/suspension",              "401  401  401  403   403   403  401   401  ok   403   401"),
        ("DELETE /api/catalog/towns/{id}/suspension",            "401  401  401  401   -     403  401   401  ok   403   401"),
    ];

    public static IReadOnlyList<(string Route, IReadOnlyDictionary<Caller, Expect> Expected)> Routes { get; } =
        Rows.Select(r => (r.Route, Parse(r.Route, r.Row))).ToList();

    internal static IReadOnlyDictionary<Caller, Expect> Parse(string route, string row)
    {
        var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (cells.Length != Columns.Length) throw new InvalidOperationException($"{route}: {cells.Length} cells, {Columns.Length} columns");
        return Columns.Zip(cells).ToDictionary(c => c.First, c => c.Second switch
        {
            "ok" => Expect.Allowed,
            "401" => Expect.Unauthorized,
            "403" => Expect.Forbidden,
            "404" => Expect.NotFound,
            "4xx" => Expect.Refused,
            "-" => Expect.NotApplicable,
            var other => throw new InvalidOperationException($"{route}: unknown cell '{other}'"),
        });
    }
}
