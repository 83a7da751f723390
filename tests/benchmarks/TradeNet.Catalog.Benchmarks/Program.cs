using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using TradeNet.Catalog.Benchmarks;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;

// The public listing search (GET /api/catalog/listings) over a catalog's history in a temp SQLite file: per filter
// combination, the first page (200) and a later one, median of 5 reads, with SQLite's plan.
// usage: [LISTINGS (200000)] [--before]   --before: the schema and query before the list's indexes (docs/operations.md).
CatalogBenchmarkOptions? options;
try
{
    options = CatalogBenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message} (--help for the usage)");
    return 2;
}
if (options is null)
{
    Console.WriteLine(CatalogBenchmarkOptions.Usage);
    return 0;
}
var (listings, before) = (options.Listings, options.Before);
var dir = Directory.CreateTempSubdirectory("catalog-bench-").FullName;
var path = Path.Combine(dir, "catalog.db");
try
{
    _ = SqliteCatalogStore.Open(path);
    var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    var at = Seed(path, listings, start);
    if (before)
        Execute(path, """
            DROP INDEX ix_listings_town_created; DROP INDEX ix_listings_category_created; DROP INDEX ix_listings_status_created;
            DROP INDEX ix_listings_status_category_created; CREATE INDEX ix_listings_town ON listings(town_id);
            """);
    Console.WriteLine($"# catalog listing search, {listings:N0} listings (half exhausted, 45 % withdrawn, 5 % active with a week's window), {(before ? "before" : "with")} the list's indexes, {Environment.ProcessorCount} cores");
    Console.WriteLine("town\tkind\tcategory\tstatus\tfirst ms\tlater ms\tplan");
    var later = new ListingCursor(start.AddMinutes(listings / 4), "");
    foreach (var town in new[] { null, "t5" })
    foreach (var kind in new[] { null, "offer" })
    foreach (var category in new[] { null, "c3", "unknown" })
    foreach (var status in ListingStatuses.All.Prepend(null))
    {
        var query = new ListingQuery(town, kind, category, status, Limit: 200, At: at);
        var (sql, parameters) = Query(query, before);
        var first = Median(path, sql, parameters);
        var (laterSql, laterParameters) = Query(query with { After = later }, before);
        var next = Median(path, laterSql, laterParameters);
        Console.WriteLine($"{town ?? "-"}\t{kind ?? "-"}\t{category ?? "-"}\t{status ?? "-"}\t{first:F2}\t{next:F2}\t{Plan(path, sql, parameters)}");
    }
}
finally
{
    SqliteDatabase.ClearPool(path);
    Directory.Delete(dir, recursive: true);
}
return 0;

// Before: the same query as the store's, without naming an index (as it was).
static (string, (string, object?)[]) Query(ListingQuery query, bool before)
{
    var (sql, parameters) = SqliteCatalogStore.ListingsSql(query);
    return (before ? Regex.Replace(sql, @" INDEXED BY \w+", "") : sql, parameters);
}

static DateTimeOffset Seed(string path, int listings, DateTimeOffset start)
{
    var random = new Random(1);
    using var connection = Connect(path);
    using var transaction = connection.BeginTransaction();
    Run(connection, "INSERT INTO categories VALUES ($id, $id, 'f', 'kg', 1, 1, 0)", [.. Enumerable.Range(0, 35).Select(i => new[] { ("$id", (object)$"c{i}") })]);
    Run(connection, "INSERT INTO towns(id, name, lat, lon, specialties, api_key_hash, registered_at) VALUES ($id, $id, 0, 0, '[]', $id, '2025-01-01')",
        [.. Enumerable.Range(0, 2000).Select(i => new[] { ("$id", (object)$"t{i}") })]);
    using var insert = connection.CreateCommand();
    insert.CommandText = "INSERT INTO listings VALUES ($id, $town, $kind, $category, 1, 0, 0, 0, '{}', '[]', NULL, $until, NULL, $status, 1, $created)";
    foreach (var name in new[] { "$id", "$town", "$kind", "$category", "$until", "$status", "$created" }) insert.Parameters.Add(new SqliteParameter(name, ""));
    for (var i = 0; i < listings; i++)
    {
        // One a minute: a week's window leaves the last 10,080 minutes' active listings open.
        var created = start.AddMinutes(i);
        var r = random.NextDouble();
        insert.Parameters["$id"].Value = $"{i:x8}";
        insert.Parameters["$town"].Value = $"t{random.Next(2000)}";
        insert.Parameters["$kind"].Value = random.Next(2) == 0 ? "offer" : "need";
        insert.Parameters["$category"].Value = $"c{random.Next(35)}";
        insert.Parameters["$until"].Value = created.AddDays(7).ToString("O");
        insert.Parameters["$status"].Value = r < 0.5 ? "exhausted" : r < 0.95 ? "withdrawn" : "active";
        insert.Parameters["$created"].Value = created.ToString("O");
        insert.ExecuteNonQuery();
    }
    transaction.Commit();
    return start.AddMinutes(listings);
}

static void Run(SqliteConnection connection, string sql, (string, object)[][] rows)
{
    foreach (var row in rows)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in row) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}

static double Median(string path, string sql, (string, object?)[] parameters)
{
    using var connection = Connect(path);
    var times = new List<double>();
    for (var i = 0; i < 6; i++)
    {
        var watch = Stopwatch.StartNew();
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read()) _ = reader.GetString(0);
        if (i > 0) times.Add(watch.Elapsed.TotalMilliseconds); // the first warms the cache
    }
    times.Sort();
    return times[times.Count / 2];
}

static string Plan(string path, string sql, (string, object?)[] parameters)
{
    using var connection = Connect(path);
    using var command = Command(connection, "EXPLAIN QUERY PLAN " + sql, parameters);
    using var reader = command.ExecuteReader();
    var lines = new List<string>();
    while (reader.Read()) lines.Add(reader.GetString(3));
    return string.Join(" | ", lines);
}

static SqliteCommand Command(SqliteConnection connection, string sql, (string, object?)[] parameters)
{
    var command = connection.CreateCommand();
    command.CommandText = sql;
    foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
    return command;
}

static void Execute(string path, string sql)
{
    using var connection = Connect(path);
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

static SqliteConnection Connect(string path)
{
    var connection = new SqliteConnection($"Data Source={path};Pooling=False");
    connection.Open();
    return connection;
}
