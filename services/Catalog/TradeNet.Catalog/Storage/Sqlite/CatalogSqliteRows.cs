using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TradeNet.Catalog.Domain;
using TradeNet.Shared.Storage;

namespace TradeNet.Catalog.Storage.Sqlite;

/// <summary>Row ↔ record conversions and a query helper shared by the store's reads and its sessions.</summary>
internal static class CatalogSqliteRows
{
    public static async Task<List<T>> QueryAsync<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        Func<SqliteDataReader, T> read, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return await ReadAllAsync(command, read, ct);
    }

    public static async Task<List<T>> ReadAllAsync<T>(SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        return rows;
    }

    public static Town Town(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetDouble(3), r.GetDouble(4),
        Strings(r.GetString(5)), r.GetString(6), Time(r.GetString(7)),
        r.IsDBNull(8) ? null : new TownSuspension(r.IsDBNull(9) ? "" : r.GetString(9), Time(r.GetString(8))),
        r.IsDBNull(10) ? null : JsonSerializer.Deserialize<string[]>(r.GetString(10))?.Select(Time).ToArray(),
        r.IsDBNull(11) ? null : Time(r.GetString(11)));

    public static TownRequest TownRequest(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Time(r.GetString(4)), Time(r.GetString(5)));

    public static Category Category(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDouble(4), r.GetDouble(5), r.GetInt64(6) != 0);

    public static Listing Listing(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6),
        r.GetDouble(7), Strings(r.GetString(8)), Strings(r.GetString(9)),
        r.IsDBNull(10) ? null : Time(r.GetString(10)), r.IsDBNull(11) ? null : Time(r.GetString(11)),
        r.IsDBNull(12) ? null : r.GetDouble(12), r.GetString(13), r.GetInt64(14), Time(r.GetString(15)));

    public static Reservation Reservation(SqliteDataReader r) => new(
        Guid.Parse(r.GetString(0)), r.GetInt64(1) != 0, r.GetString(2),
        JsonSerializer.Deserialize<ReservationLine[]>(r.GetString(3), OutboxMessage.Json) ?? [],
        r.GetString(4), Time(r.GetString(5)));

    public static RevokedKey RevokedKey(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), Time(r.GetString(2)));

    public static (string, object?)[] TownParameters(Town t) =>
    [
        ("$id", t.Id), ("$name", t.Name), ("$insee", t.InseeCode), ("$lat", t.Lat), ("$lon", t.Lon),
        ("$specialties", Json(t.Specialties)), ("$hash", t.ApiKeyHash), ("$at", Text(t.RegisteredAt)),
        .. SuspensionParameters(t.Suspension), ("$moves", Moves(t.Moves)),
        ("$reinstatedAt", t.ReinstatedAt is { } reinstated ? Text(reinstated) : null),
    ];

    /// <summary>A town's moves as a JSON array of UTC times; null when it has none.</summary>
    public static string? Moves(DateTimeOffset[]? moves) =>
        moves is { Length: > 0 } ? JsonSerializer.Serialize(moves.Select(Text).ToArray()) : null;

    public static (string, object?)[] TownRequestParameters(TownRequest q) =>
    [
        ("$keyHash", q.KeyHash), ("$town", q.TownId), ("$fingerprint", q.Fingerprint), ("$sealed", q.SealedApiKey),
        ("$at", Text(q.At)), ("$expiresAt", Text(q.ExpiresAt)),
    ];

    public static (string, object?)[] SuspensionParameters(TownSuspension? s) =>
        [("$suspendedAt", s is null ? null : Text(s.At)), ("$suspensionReason", s?.Reason)];

    public static (string, object?)[] ListingParameters(Listing l) =>
    [
        ("$id", l.Id), ("$town", l.TownId), ("$kind", l.Kind), ("$category", l.Category), ("$quantity", l.Quantity),
        ("$reserved", l.Reserved), ("$fulfilled", l.Fulfilled), ("$minLot", l.MinLot),
        ("$attributes", Json(l.Attributes)), ("$requires", Json(l.Requires)),
        ("$from", l.AvailableFrom is { } from ? Text(from) : null), ("$until", l.AvailableUntil is { } until ? Text(until) : null),
        ("$maxDistance", l.MaxDistanceKm), ("$status", l.Status), ("$version", l.Version), ("$createdAt", Text(l.CreatedAt)),
    ];

    public static (string, object?)[] ReservationParameters(Reservation r) =>
    [
        ("$trade", r.TradeId.ToString()), ("$reserved", r.Reserved ? 1 : 0), ("$reason", r.Reason),
        ("$lines", JsonSerializer.Serialize(r.Lines, OutboxMessage.Json)), ("$state", r.State), ("$at", Text(r.CreatedAt)),
    ];

    public static (string, object?)[] CategoryParameters(Category c) =>
    [
        ("$id", c.Id), ("$name", c.Name), ("$family", c.Family), ("$unit", c.Unit),
        ("$value", c.ValuePerUnit), ("$weight", c.WeightPerUnit), ("$perishable", c.Perishable ? 1 : 0),
    ];

    internal static string Json(string[] values) => JsonSerializer.Serialize(values);
    private static string[] Strings(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];
    internal static string Text(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
