using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace TradeNet.Integration.Tests.Infrastructure;

/// <summary>What a distributed network still has to hand over or handle: events pending in the services' outboxes, read
/// from their files, and messages in the broker's queues (waiting or in a consumer's hands). An audit that waits a fixed
/// time after the actors cannot tell a slow network from a wrong one; one that starts its clock once this is empty can.</summary>
public static class Backlog
{
    private static readonly string[] Services = ["catalog", "matching", "logistics"];

    /// <summary>Outboxes still holding events (each a line); with <paramref name="olderThan"/>, only events written
    /// longer ago than that.</summary>
    public static async Task<IReadOnlyList<string>> PendingOutboxesAsync(string dataDir, TimeSpan? olderThan = null)
    {
        var cutoff = (DateTimeOffset.UtcNow - (olderThan ?? TimeSpan.Zero)).ToString("O", CultureInfo.InvariantCulture);
        var pending = new List<string>();
        foreach (var store in Services)
        {
            var path = Path.Combine(dataDir, $"{store}.db");
            if (!File.Exists(path)) continue;
            await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // created_at is written as UTC round-trip text ("O"), which orders as its instants do.
            command.CommandText = "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE sent_at IS NULL AND created_at <= $cutoff";
            command.Parameters.AddWithValue("$cutoff", cutoff);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var count = reader.GetInt64(0);
            if (count > 0) pending.Add($"{store} outbox holds {count} events, the oldest from {reader.GetString(1)}");
        }
        return pending;
    }

    /// <summary>Every queue of the node with what it holds (ready and unacknowledged: RabbitMQ's <c>messages</c>); null
    /// when rabbitmqctl printed no list after three tries, with what it printed in <paramref name="failure"/>.</summary>
    public static async Task<(IReadOnlyList<(string Name, long Messages, long Unacked)>? Queues, string Failure)> QueuesAsync(RabbitMqNode rabbit)
    {
        var output = "";
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var (exitCode, stdout, stderr) = await rabbit.CtlAsync("list_queues", "--formatter", "json", "name", "messages", "messages_unacknowledged");
            if (exitCode != 0) return (null, $"list_queues failed ({exitCode}): {stderr}");
            output = stdout;
            // The CLI's own Erlang VM may print a log report ("=WARNING REPORT==== …") before the JSON on a loaded machine
            // (seen once in CI, after the broker had been paused): the queues are the array that starts a line and ends one.
            var start = stdout.StartsWith('[') ? 0 : stdout.IndexOf("\n[", StringComparison.Ordinal) + 1;
            var closing = stdout.IndexOf("\n]", start, StringComparison.Ordinal);
            var end = closing >= 0 ? closing + 1 : stdout.LastIndexOf(']');
            if (start >= 0 && end > start && TryQueues(stdout[start..(end + 1)]) is { } queues) return (queues, "");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        return (null, $"list_queues printed no list of queues: {output[..Math.Min(output.Length, 500)]}");
    }

    /// <summary>Queues MassTransit sets messages aside in: <c>…_error</c> (a consumer failed on it after its retries) and
    /// <c>…_skipped</c> (no consumer of its queue knew it). What they hold waits for an operator, not for time.</summary>
    public static bool IsSetAside(string queue) =>
        queue.EndsWith("_error", StringComparison.Ordinal) || queue.EndsWith("_skipped", StringComparison.Ordinal);

    /// <summary>Messages set aside (<see cref="IsSetAside"/>), each a line: an event some service never applied.</summary>
    public static async Task<IReadOnlyList<string>> SetAsideAsync(RabbitMqNode rabbit)
    {
        var (queues, failure) = await QueuesAsync(rabbit);
        if (queues is null) return [failure];
        return queues.Where(q => q.Messages > 0 && IsSetAside(q.Name)).Select(q => $"queue {q.Name} holds {q.Messages} messages").ToList();
    }

    /// <summary>Everything still to hand over or handle, each a line; empty when the network is drained (set-aside queues
    /// do not count: nothing drains them). The outboxes are read before and after the queues: an event handed over
    /// between the first read and the queues' is in a queue then, and one its consumer wrote meanwhile is in an outbox at
    /// the second read (what that one's consumer still does is the audit's few seconds).</summary>
    public static async Task<IReadOnlyList<string>> OfAsync(DistributedTradeNet tradeNet)
    {
        var lines = new List<string>(await PendingOutboxesAsync(tradeNet.DataDir));
        var (queues, failure) = await QueuesAsync(tradeNet.Rabbit);
        if (queues is null) lines.Add(failure);
        else
            lines.AddRange(queues.Where(q => q.Messages > 0 && !IsSetAside(q.Name))
                .Select(q => $"queue {q.Name} holds {q.Messages} ({q.Unacked} in a consumer's hands)"));
        if (lines.Count == 0) lines.AddRange(await PendingOutboxesAsync(tradeNet.DataDir));
        return lines;
    }

    /// <summary>Waits until the network is drained (<see cref="OfAsync"/>), at most <paramref name="limit"/>: a backlog
    /// still there then is a network that does not drain, and the failure says what it holds. Returns how long it took,
    /// with the largest backlog seen and when, for the summary.</summary>
    public static async Task<string> WaitDrainedAsync(DistributedTradeNet tradeNet, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        var (largest, largestAt, looks) = (0L, TimeSpan.Zero, 0);
        IReadOnlyList<string> backlog;
        while ((backlog = await OfAsync(tradeNet)).Count > 0)
        {
            looks++;
            var size = backlog.Sum(Count);
            if (size > largest) (largest, largestAt) = (size, watch.Elapsed);
            if (watch.Elapsed > limit)
                throw new Xunit.Sdk.XunitException(string.Create(CultureInfo.InvariantCulture,
                    $"Not drained {limit.TotalMinutes:F0} minutes after the actors: {string.Join("; ", backlog)}"));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"drained in {watch.Elapsed.TotalSeconds:F1} s ({looks + 1} looks; largest backlog {largest} at {largestAt.TotalSeconds:F1} s)");
    }

    // The first number of a backlog line ("queue x holds 12 (…)", "catalog outbox holds 3 events …").
    private static long Count(string line) =>
        line.Split(' ').Select(w => long.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).FirstOrDefault(n => n >= 0, 0);

    private static List<(string Name, long Messages, long Unacked)>? TryQueues(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        using var _ = document;
        return document.RootElement.EnumerateArray()
            .Select(q => (q.GetProperty("name").GetString()!, q.GetProperty("messages").GetInt64(),
                q.TryGetProperty("messages_unacknowledged", out var u) ? u.GetInt64() : 0))
            .ToList();
    }
}
