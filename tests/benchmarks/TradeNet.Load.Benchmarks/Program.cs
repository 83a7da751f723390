// Load benchmark of a running TradeNet: registers real towns through the gateway, then for --seconds lets them trade
// concurrently (publish and change listings, browse, answer proposals, move goods, register vehicles) while an operator
// runs clearing rounds and planning runs, and prints per-operation latency, rounds, planning runs and the host's memory.
//
//   dotnet run -c Release --project tests/benchmarks/TradeNet.Load.Benchmarks -- --gateway http://127.0.0.1:5650 --operator-key KEY
//     [--towns 20] [--listings-per-town 20] [--concurrency 8] [--seconds 60] [--pid PID] [--round-every 10] [--plan-every 20]
//     [--vehicles 0.2] [--radius-km 100] [--seed 1] [--town-rate 9] [--report-every SECONDS] [--keys-file PATH]
//   --help prints the usage; exit codes 0 ok, 1 no categories or towns, 2 a command line it cannot take, 3 unexpected answers (LoadArgs)
using System.Diagnostics;
using TradeNet.Load.Benchmarks;

if (LoadArgs.WantsHelp(args))
{
    Console.WriteLine(LoadArgs.Usage);
    return LoadArgs.Ok;
}
LoadOptions options;
try
{
    options = LoadArgs.Parse(args);
}
catch (ArgumentException e)
{
    return Refuse(e.Message);
}
var (gateway, operatorKey, townCount, listingsPerTown, concurrency, seconds, seed, roundSeconds, planSeconds, vehicleShare, townRate,
    reportEvery, radiusKm, pid, keysFile) = options;
var host = pid is { } hostPid ? new HostProcess(hostPid) : null;

var roundEvery = TimeSpan.FromSeconds(roundSeconds);
var planEvery = TimeSpan.FromSeconds(planSeconds);

var o = Console.Out;
o.WriteLine($"# TradeNet load run {DateTimeOffset.Now:yyyy-MM-dd HH:mm}");
o.WriteLine($"gateway {gateway}, {townCount} towns × {listingsPerTown} listings, concurrency {concurrency}, {seconds} s, " +
    $"round every {roundEvery.TotalSeconds:0} s, planning every {planEvery.TotalSeconds:0} s, vehicles for {vehicleShare:P0} of towns, " +
    $"at most {townRate} requests/s per town ({townRate * townCount:0}/s in all), seed {seed}");
o.WriteLine($"machine: {Environment.ProcessorCount} cores, load average at start {LoadAverage()}");

var setup = new Edge(new Recorder());
var rng = new Random(seed);
// Before the gateway is asked anything: more towns than the radius holds was a stack trace after the categories' read.
IReadOnlyList<TradeNet.Shared.Data.KnownTown> places;
try
{
    places = Towns.Choose(townCount, radiusKm, rng);
}
catch (ArgumentException e)
{
    return Refuse(e.Message);
}
using var operatorHttp = Edge.Client(gateway, null);
var categoriesAnswer = await setup.SendAsync(operatorHttp, "read categories", HttpMethod.Get, "/api/catalog/categories", null);
if (!categoriesAnswer.Ok) { o.WriteLine($"Cannot read the categories: {categoriesAnswer.Status}"); return LoadArgs.SetupFailed; }
var categories = categoriesAnswer.Body.EnumerateArray().Select(Category.Of).ToList();

var bookBefore = await new Workload(setup, operatorKey, operatorHttp, categories, listingsPerTown).CountAsync("count book", "/api/matching/book?limit=1000");

// Setup: register the towns and publish their listings, concurrently, timed as their own table.
var setupClock = Stopwatch.StartNew();
var towns = new Town?[townCount];
await Parallel.ForEachAsync(Enumerable.Range(0, townCount), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
{
    var place = places[i];
    var specialties = Towns.Specialties(categories, new Random(seed * 31 + i));
    var http = Edge.Client(gateway, Towns.LocalAddress(gateway, i));
    var a = await setup.SendAsync(http, "register town", HttpMethod.Post, "/api/catalog/towns", null,
        new { name = place.Name, inseeCode = place.InseeCode, lat = place.Lat, lon = place.Lon, specialties = specialties.Select(c => c.Id).ToArray() });
    if (a.Ok)
        towns[i] = new Town(place, a.Body.GetProperty("town").GetProperty("id").GetString()!, Edge.Str(a.Body, "apiKey")!, specialties, http,
            new Pacer(townRate))
        { WantsVehicle = i < Math.Round(vehicleShare * townCount) };
});
var registered = towns.OfType<Town>().ToList();
o.WriteLine($"registered {registered.Count} of {townCount} towns in {setupClock.Elapsed.TotalSeconds:0.0} s");
// The towns' keys, for probing town-only routes beside a run (a soak's reads as a town); the file holds keys in clear.
if (keysFile is not null)
    await File.WriteAllLinesAsync(keysFile, registered.Select(t => $"{t.Id} {t.Key} {t.Place.InseeCode} {t.Place.Name}"));
if (registered.Count == 0) { setup.Recorder.Print(o, setupClock.Elapsed.TotalSeconds); return LoadArgs.SetupFailed; }
var workload = new Workload(setup, operatorKey, operatorHttp, categories, listingsPerTown);
var publishClock = Stopwatch.StartNew();
await Parallel.ForEachAsync(registered, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (town, _) =>
{
    var townRng = new Random(seed * 131 + registered.IndexOf(town));
    for (var j = 0; j < listingsPerTown; j++) await workload.PublishAsync(town, townRng);
});
var listed = registered.Sum(t => t.Listings.Count);
o.WriteLine($"published {listed} listings in {publishClock.Elapsed.TotalSeconds:0.0} s");

// How long the listings take to reach matching's book (catalog's outbox → bus → matching's consumer).
var bookClock = Stopwatch.StartNew();
var inBook = 0;
while (bookClock.Elapsed < TimeSpan.FromSeconds(120) && bookBefore >= 0
       && (inBook = await workload.CountAsync("count book", "/api/matching/book?limit=1000") - bookBefore) < listed && inBook >= -bookBefore)
    await Task.Delay(500);
o.WriteLine($"matching's book held {inBook} of {listed} listings {bookClock.Elapsed.TotalSeconds:0.0} s after the last publish");
o.WriteLine();
o.WriteLine("## Setup (towns registering and publishing their first listings)");
setup.Recorder.Print(o, setupClock.Elapsed.TotalSeconds);

// The run.
var run = new Edge(new Recorder(windows: reportEvery > 0));
workload = new Workload(run, operatorKey, operatorHttp, categories, listingsPerTown);
var before = host?.Read();
var clock = Stopwatch.StartNew();
var length = TimeSpan.FromSeconds(seconds);
using var stopSampling = new CancellationTokenSource();
var sampling = host?.SampleAsync(clock, stopSampling.Token) ?? Task.CompletedTask;
var reporting = reportEvery > 0
    ? new IntervalReport(run.Recorder, workload, host, o, TimeSpan.FromSeconds(reportEvery)).RunAsync(clock, stopSampling.Token)
    : Task.CompletedTask;
await Task.WhenAll(
    workload.RunTownsAsync(registered, Math.Min(concurrency, registered.Count), clock, length, seed),
    workload.RunOperatorAsync(clock, length, roundEvery, planEvery));
var elapsed = clock.Elapsed.TotalSeconds;
stopSampling.Cancel();
await Task.WhenAll(sampling, reporting);

o.WriteLine();
// Per second over the S seconds in which towns act: an operator's last round may end well after them.
o.WriteLine($"## Run ({seconds} s of towns acting; {elapsed:0.0} s until the last call, a round or planning run, ended)");
run.Recorder.Print(o, seconds);
// With --report-every the intervals above are the timeline; a 10 s one would be hundreds of lines in a long run.
if (reportEvery <= 0)
{
    o.WriteLine();
    o.WriteLine("### Latency through the run (every call, by the 10 s in which it started)");
    run.Recorder.PrintTimeline(o, 10, (from, to) => string.Join(" ", new[]
    {
        workload.Rounds.Any(r => r.AtSeconds < to && r.AtSeconds + r.RequestMs / 1000 > from) ? "round" : null,
        workload.Plans.Any(p => p.AtSeconds < to && p.AtSeconds + p.RequestMs / 1000 > from) ? "planning" : null,
    }.OfType<string>()));
}
o.WriteLine();
o.WriteLine("### Clearing rounds (request: what the operator waited; duration: the round's own record)");
o.WriteLine("| at s | status | request ms | duration ms | listings | trades | candidate cycles | round status |");
o.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var r in workload.Rounds)
    o.WriteLine(FormattableString.Invariant($"| {r.AtSeconds:0} | {r.Status} | {r.RequestMs:0} | {r.DurationMs} | {r.Listings} | {r.Trades} | {r.CandidateCycles} | {r.RoundStatus ?? "-"} |"));
o.WriteLine();
o.WriteLine("### Planning runs");
o.WriteLine("| at s | status | request ms | duration ms | pending | planned | routes |");
o.WriteLine("|---|---|---|---|---|---|---|");
foreach (var p in workload.Plans)
    o.WriteLine(FormattableString.Invariant($"| {p.AtSeconds:0} | {p.Status} | {p.RequestMs:0} | {p.DurationMs:0} | {p.Pending} | {p.Planned} | {p.Routes} |"));
o.WriteLine();
if (host is not null) host.Print(o, before);
o.WriteLine($"load average at end {LoadAverage()}");

// Where the trades got to (operator's view, outside the timed run).
var final = new Edge(new Recorder());
var counter = new Workload(final, operatorKey, operatorHttp, categories, listingsPerTown);
var trades = new List<string>();
foreach (var status in new[] { "proposed", "agreed", "completed" })
    trades.Add($"{status} {await counter.CountAsync("count trades", $"/api/matching/trades?status={status}&limit=1000")}");
var cancelled = await counter.ListAsync("count trades", "/api/matching/trades?status=cancelled&limit=1000") ?? [];
trades.Add($"cancelled {cancelled.Count}");
var shipments = new List<string>();
foreach (var status in new[] { "planned", "pickedUp", "delivered", "cancelled", "failed" })
    shipments.Add($"{status} {await counter.CountAsync("count shipments", $"/api/logistics/shipments?status={status}&limit=1000")}");
o.WriteLine($"trades: {string.Join(", ", trades)}; shipments: {string.Join(", ", shipments)}");
// Why trades were cancelled, ids and quantities left out so that the same reason counts once.
foreach (var reason in cancelled.GroupBy(t => Reason(Edge.Str(t, "reason"))).OrderByDescending(g => g.Count()))
    o.WriteLine($"  cancelled {reason.Count(),5} × {reason.Key}");
if (final.Recorder.UnexpectedCount > 0) final.Recorder.Print(o, 1);
foreach (var town in registered) town.Http.Dispose();
return setup.Recorder.UnexpectedCount + run.Recorder.UnexpectedCount > 0 ? LoadArgs.UnexpectedAnswers : LoadArgs.Ok;

static string Reason(string? reason) => reason is null ? "(no reason)"
    : System.Text.RegularExpressions.Regex.Replace(reason, @"[0-9a-f]{8}-[0-9a-f-]{27}|town-[0-9a-z]+|\b[0-9][0-9a-z.]*\b|'[^']*'", "…");

static string LoadAverage() => IntervalReport.LoadAverage();

// A command line the benchmark cannot take: one line on standard error and exit code 2, never a stack trace.
static int Refuse(string problem)
{
    Console.Error.WriteLine($"error: {problem} (--help for the usage)");
    return LoadArgs.BadCommandLine;
}
