using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// Random trading with logistics as the busy part, through the gateway: towns list goods of a few kilos to tonnes (some
/// chilled) and accept most proposals, so many trades reach logistics; an operator registers a fleet at two depots and
/// two towns register vans of their own (varied capacities, a chilled pair, a 2-hour route limit, working hours that
/// cover now and ones that start tomorrow, an availability ending in a few hours), runs planning at random moments
/// (beside the scheduled runs), takes routes back, releases held legs, changes one vehicle and withdraws another
/// halfway; carriers pick up, report stops done or failed and report failures, receiving towns confirm deliveries; the
/// operator cancels trades whose shipments are planned, on a route or picked up. Every answer must be one its action
/// expects (<see cref="FleetCalls"/>). Afterwards a few rounds of "plan, pick up, deliver (some fail)" bring the legs
/// to an end, and <see cref="FleetAudit"/> and <see cref="ConsistencyAudit"/> check what the services hold.
/// </summary>
public sealed partial class RandomFleet(TradeFlow flow, int seed, RandomFleetOptions options)
{
    public FleetCalls Calls { get; } = new();
    public List<Trader> Towns { get; } = [];
    public List<string> Depots { get; } = [];
    public List<FleetVehicle> Fleet { get; } = [];
    public List<string> Notes { get; } = [];

    /// <summary>When a drain round found nothing planned or on the road (default: none did): a shipment planned or on the
    /// road from before then was left behind.</summary>
    public DateTimeOffset DrainedAt { get; private set; }

    /// <summary>Category id → kg per unit, for the goods traded here (none counted in pieces).</summary>
    private readonly Dictionary<string, double> _kgPerUnit = new(StringComparer.Ordinal);
    private readonly List<string> _chilled = [];
    private IReadOnlyList<string> Categories => [.. _kgPerUnit.Keys];

    public IReadOnlyList<string> AllTowns => [.. Towns.Select(t => t.Id), .. Depots];

    /// <summary>Where the trading towns are, as their moves left them (<see cref="TownPlaces"/>).</summary>
    public TownPlaces Places { get; } = new();

    /// <summary>Saint-Romain-la-Motte as the directory has it (services/Shared/Data): no other test registers its code.</summary>
    private static readonly (string Code, double Lat, double Lon) Commune = ("42284", 46.0836, 3.99067);

    public async Task SetUpAsync()
    {
        using var reader = flow.Operator();
        var categories = (await reader.Get("/api/catalog/categories")).EnumerateArray()
            .Where(c => c.GetProperty("weightPerUnit").GetDouble() > 0 && c.GetProperty("unit").GetString() != "piece").ToList();
        var random = new Random(seed);
        foreach (var c in categories.Where(c => c.GetProperty("perishable").GetBoolean()).OrderBy(_ => random.Next()).Take(2)
                     .Concat(categories.Where(c => !c.GetProperty("perishable").GetBoolean()).OrderBy(_ => random.Next()).Take(3)))
        {
            var id = c.GetProperty("id").GetString()!;
            _kgPerUnit[id] = c.GetProperty("weightPerUnit").GetDouble();
            if (c.GetProperty("perishable").GetBoolean()) _chilled.Add(id);
        }

        // Close together near Roanne (every need's distance limit lets every offer in), a few km apart so routes drive.
        // One of them (never a van's owner) registered with a commune's INSEE code: it stays within 25 km of it.
        for (var i = 0; i < options.Towns; i++)
        {
            var (name, lat, lon) = ($"Random Fleet {seed}-{i}", Math.Round(46.00 + 0.03 * (i % 3), 5), Math.Round(4.00 + 0.04 * (i / 3), 5));
            var town = new Trader(await flow.RegisterTown(name, i == 2 ? Commune.Code : null, lat, lon));
            Towns.Add(town);
            Places.Add(town.Id, name, lat, lon, i == 2 ? (Commune.Lat, Commune.Lon) : null);
        }
        for (var d = 0; d < 2; d++)
            Depots.Add((await flow.RegisterTown($"Random Fleet {seed} depot {d}", null, 46.02 + 0.05 * d, 4.06)).Id);
        await RegisterFleetAsync();
        await PublishStartingBookAsync(random);
    }

    private async Task RegisterFleetAsync()
    {
        var now = DateTimeOffset.UtcNow;
        // Hours around now (not crossing midnight), and tomorrow's morning only: that vehicle's routes are tomorrow's.
        var from = new TimeOnly(Math.Max(0, now.Hour - 1), 0);
        var nowHours = new FleetHours(from, from.Hour >= 16 ? new TimeOnly(23, 59) : from.AddHours(7));
        var tomorrow = new FleetHours(new TimeOnly(6, 0), new TimeOnly(14, 0),
            [now.AddDays(1).DayOfWeek.ToString()[..3].ToLowerInvariant()]);
        string d0 = Depots[0], d1 = Depots[1];
        FleetTerms[] depot =
        [
            // Some at the depot town's point, others at its yards a few km off (a vehicle's home is its own).
            new(d0, 46.02, 4.06, 30_000, Chilled: true, 0.6, 20),
            new(d0, 46.045, 4.09, 3_000, Chilled: false, 0.4, 5),
            new(d1, 46.07, 4.06, 1_200, Chilled: true, 0.3, 5, MaxRouteHours: 2),
            new(d1, 46.09, 4.03, 8_000, Chilled: false, 0.5, 10, Hours: nowHours),
            new(d1, 46.07, 4.06, 5_000, Chilled: false, 0.45, 10, Hours: tomorrow),
        ];
        using var ops = flow.Operator();
        foreach (var terms in depot)
        {
            var registered = await ops.Post("/api/logistics/vehicles", terms.Body(), HttpStatusCode.Created);
            Fleet.Add(new FleetVehicle(registered.GetProperty("id").GetString()!, terms, null));
        }
        // Two towns' own vans: the town is their carrier and reports their stops itself.
        (Trader Town, FleetTerms Terms)[] own =
        [
            // Based a few km from the town's point (46.00, 4.00 and 46.03, 4.00): a yard at the edge of town.
            (Towns[0], new(Towns[0].Id, 46.02, 3.97, 2_500, Chilled: true, 0.35, 5, AvailableUntil: now.AddHours(5))),
            (Towns[1], new(Towns[1].Id, 46.05, 4.03, 6_000, Chilled: false, 0.4, 8)),
        ];
        foreach (var (town, terms) in own)
        {
            var registered = await town.Client.Post("/api/logistics/vehicles", terms.Body(), HttpStatusCode.Created);
            Fleet.Add(new FleetVehicle(registered.GetProperty("id").GetString()!, terms, town));
        }
    }

    /// <summary>Each town gives half the categories and takes the other half (never both: a round drops a trade in which
    /// a town would serve its own need), each listing from a few hundred kilos to several tonnes in small lots, so rounds
    /// have many trades to find and legs range from a van's load to more than any vehicle takes.</summary>
    private async Task PublishStartingBookAsync(Random random)
    {
        foreach (var town in Towns)
            foreach (var category in Categories)
                await town.Client.Post("/api/catalog/listings", Listing(KindFor(town, category), category, random), HttpStatusCode.Created);
    }

    private string KindFor(Trader town, string category) =>
        (Towns.IndexOf(town) + Categories.ToList().IndexOf(category)) % 2 == 0 ? "offer" : "need";

    private object Listing(string kind, string category, Random random)
    {
        var kg = new[] { 200, 500, 1_000, 2_500, 6_000, 20_000 }[random.Next(6)];
        var quantity = Math.Max(1, Math.Round(kg / _kgPerUnit[category]));
        return new
        {
            kind, category, quantity, minLot = Math.Max(1, Math.Round(quantity / 10)),
            maxDistanceKm = kind == "need" ? 200 : (int?)null,
        };
    }

    public Task RunAsync() =>
        Task.WhenAll(Enumerable.Range(0, options.Actors).Select(a => ActAsync(new Random(seed * 1000 + a), a)));

    private async Task ActAsync(Random random, int actor)
    {
        using var ops = flow.Operator(TimeSpan.FromMinutes(2));
        for (var step = 0; step < options.Steps; step++)
        {
            if (actor == 1 && step == options.Steps / 3) await ChangeVehicleAsync(ops, Fleet[1], random, lower: true);
            if (actor == 1 && step == options.Steps / 2) await WithdrawAsync(ops, Fleet[^1]);
            var town = Towns[random.Next(Towns.Count)];
            switch (random.Next(100))
            {
                case < 20 when actor == 0:
                    await Calls.CallAsync("round", () => ops.Send(HttpMethod.Post, "/api/matching/rounds"), HttpStatusCode.Created, HttpStatusCode.Conflict);
                    break;
                case < 34: await AnswerAsync(town, random); break;
                case < 42: await PublishAsync(town, random); break;
                case < 51: await PlanAsync(ops); break;
                case < 60: await PickUpAsync(ops, random); break;
                case < 70: await DeliverAsync(ops, random); break;
                case < 72: await FailAsync(ops, random); break;
                case < 74: await BurstAsync(ops, random); break;
                case < 81: await ReportStopAsync(ops, random); break;
                case < 86: await TakeBackAsync(ops, random); break;
                case < 88: await ReleaseAsync(ops, random); break;
                case < 93: await CancelAsync(ops, random); break;
                case < 95: await BurstAsync(ops, random); break;
                case < 96: await ChangeVehicleAsync(ops, Fleet[random.Next(Fleet.Count)], random, lower: random.Next(2) == 0); break;
                case < 98:
                    // Half the time town 0, a van's owner whose van may be on a route (the route keeps its points; its
                    // fourth own move in the hour is refused), a quarter the town with an INSEE code.
                    var changing = random.Next(4) switch { < 2 => Towns[0], 2 => Towns[2], _ => town };
                    await Places.ChangeAsync(changing, ops, byOperator: random.Next(4) == 0, random,
                        (a, by, send, expected) => Calls.CallAsync(a, () => send(by?.Client ?? ops), expected));
                    break;
                default: await NextRunAsync(ops, random); break;
            }
        }
    }

    /// <summary>Rounds of: plan what waits, then every carrier picks up what is planned and every receiving town confirms
    /// what is on the road (about one in eight fails instead), held legs released; until nothing is left moving.</summary>
    public async Task DrainAsync()
    {
        var random = new Random(seed);
        using var ops = flow.Operator(TimeSpan.FromMinutes(2));
        for (var round = 0; round < options.DrainRounds; round++)
        {
            foreach (var held in await Calls.ListAsync(ops, "/api/logistics/transfers?status=held&limit=1000"))
                await Calls.CallAsync("drain release", () => ops.Send(HttpMethod.Post, $"/api/logistics/transfers/{Text(held, "id")}/release"), HttpStatusCode.OK);
            await Calls.CallAsync("drain plan", () => ops.Send(HttpMethod.Post, "/api/logistics/plans"), HttpStatusCode.OK);
            var readAt = DateTimeOffset.UtcNow;
            var moving = await MovingAsync(ops);
            if (moving.Count == 0)
            {
                // Nothing created before this read is moving; a scheduled run may plan what failed since (after it).
                DrainedAt = readAt;
                break;
            }
            foreach (var shipment in moving)
            {
                var id = Text(shipment, "id");
                var carrier = CarrierOf(shipment, ops);
                if (random.Next(8) == 0)
                {
                    await Calls.CallAsync("drain failure", () => carrier.Send(HttpMethod.Post, $"/api/logistics/shipments/{id}/failure",
                        new { reason = "random fleet: the van broke down" }), HttpStatusCode.OK);
                    continue;
                }
                if (Text(shipment, "status") == "planned")
                    await Calls.CallAsync("drain pickup", () => carrier.Send(HttpMethod.Post, $"/api/logistics/shipments/{id}/pickup"), HttpStatusCode.OK);
                await Calls.CallAsync("drain delivery", () => Receiver(shipment).Client.Send(HttpMethod.Post, $"/api/logistics/shipments/{id}/delivery"),
                    HttpStatusCode.OK);
            }
        }
        if (DrainedAt == default) Notes.Add($"the drain did not end in {options.DrainRounds} rounds: its rule was not checked");
    }

    private async Task<List<JsonElement>> MovingAsync(TradeNetClient ops) =>
        [.. await Calls.ListAsync(ops, "/api/logistics/shipments?status=planned&limit=1000"),
            .. await Calls.ListAsync(ops, "/api/logistics/shipments?status=pickedUp&limit=1000")];

    /// <summary>Who reports for the shipment's carrier: the town when it is a trading town (a direct trip's giver, or a
    /// town's own van), else an operator (a depot's vehicle).</summary>
    private TradeNetClient CarrierOf(JsonElement shipment, TradeNetClient ops) =>
        Towns.FirstOrDefault(t => t.Id == Text(shipment, "carrierTown"))?.Client ?? ops;

    private Trader Receiver(JsonElement shipment) => Towns.Single(t => t.Id == Text(shipment, "toTown"));

    private bool OnFleet(JsonElement shipment) => Fleet.Any(v => v.Id == Text(shipment, "vehicleId"));

    internal static string Text(JsonElement e, string property) => e.GetProperty(property).GetString()!;

    public string Summary() => Calls.Summary() + (Notes.Count > 0 ? "\n" + string.Join("\n", Notes) : "");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
