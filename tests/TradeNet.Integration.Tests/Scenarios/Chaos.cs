using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TradeNet.Integration.Tests.Infrastructure;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>How often and how long <see cref="Chaos"/> takes things down.</summary>
public sealed record ChaosOptions
{
    /// <summary>Outages in all; the first are each kind once (<see cref="Chaos"/>'s ten, or <see cref="Kinds"/>), in a seeded order.</summary>
    public int Outages { get; init; } = 6;

    /// <summary>The longest pause between one outage's end and the next one's start (each pause is seeded).</summary>
    public TimeSpan MaxPause { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The longest the broker stays stopped, or a process paused (2 s at least; past 10 s a call from matching
    /// to a paused logistics or catalog runs out of its deadline).</summary>
    public TimeSpan MaxDown { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>The outages to draw from ("kill catalog-2": <see cref="Chaos"/>'s verbs and a process's name); null for
    /// Chaos's ten kinds.</summary>
    public IReadOnlyList<string>? Kinds { get; init; }
}

/// <summary>
/// A chaos actor beside <see cref="RandomTrading"/>'s: on a schedule its seed fixes, it SIGKILLs a service (catalog,
/// matching, logistics or the gateway) and starts it again on the same files, pauses a service or the broker for a few
/// seconds (SIGSTOP/SIGCONT), or stops the broker for a few seconds (killing a service meanwhile, once) and starts it again. Each outage is an <see cref="OutageWindows"/> window, inside which the actors accept a lost answer.
/// Afterwards it waits for everything to be up and drained, and checks what only chaos can break: every outbox
/// emptied (no message in an error or skipped queue is checked for every distributed run, <see cref="Backlog"/>).
/// </summary>
public sealed class Chaos(DistributedTradeNet tradeNet, int seed, ChaosOptions options)
{
    /// <summary>What an outage does: kill (SIGKILL, restart on the same files), pause (SIGSTOP for a while, then SIGCONT:
    /// callers wait, deadlines run out), stop (the broker, a few seconds; "+kill" also kills a service meanwhile).</summary>
    private static readonly string[] Kinds =
    [
        "kill catalog", "kill matching", "kill logistics", "kill gateway", "stop broker", "stop broker+kill",
        "pause catalog", "pause matching", "pause logistics", "pause broker",
    ];

    private static readonly string[] Services = ["catalog", "matching", "logistics"];
    
    public OutageWindows Outages { get; } = new();

    /// <summary>What was done and when, for the summary.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Runs the schedule while <paramref name="trading"/> runs, then waits for the trading too.</summary>
    public async Task RunAsync(Task trading)
    {
        try
        {
            await RunScheduleAsync(trading);
        }
        finally
        {
            Outages.End(); // the actors stop too, even when an outage could not be undone
        }
        await trading;
    }

    private async Task RunScheduleAsync(Task trading)
    {
        var random = new Random(seed * 7919 + 17);
        var kinds = options.Kinds ?? Kinds;
        var order = kinds.OrderBy(_ => random.Next()).ToList();
        var started = Stopwatch.StartNew();
        for (var i = 0; i < options.Outages; i++)
        {
            var kind = i < order.Count ? order[i] : kinds[random.Next(kinds.Count)];
            var pause = TimeSpan.FromMilliseconds(250 + random.Next((int)options.MaxPause.TotalMilliseconds));
            var down = TimeSpan.FromMilliseconds(2000 + random.Next((int)Math.Max(1, options.MaxDown.TotalMilliseconds - 2000)));
            var alsoKilled = Services[random.Next(Services.Length)];
            await Task.Delay(pause);
            var at = started.Elapsed;
            var target = kind.Split(' ')[1];
            using (Outages.Open(kind))
            {
                switch (kind.Split(' ')[0])
                {
                    case "kill":
                        await tradeNet.KillAndRestartAsync(target);
                        break;
                    case "pause" when target == "broker":
                        await tradeNet.Rabbit.PauseAsync(down);
                        break;
                    case "pause":
                        await tradeNet.PauseAsync(target, down);
                        break;
                    case "stop":
                        await tradeNet.Rabbit.StopAsync();
                        await Task.Delay(down / 2);
                        // A crash while the broker is away: the service comes back alive, not ready until it is back.
                        if (kind == "stop broker+kill") await tradeNet.KillAndRestartAsync(alsoKilled, aliveOnly: true);
                        await Task.Delay(down / 2);
                        await tradeNet.Rabbit.RestartAsync();
                        break;
                }
            }
            Log.Add(string.Create(CultureInfo.InvariantCulture,
                $"{(kind == "stop broker+kill" ? $"stop broker, kill {alsoKilled}" : kind)} at {at.TotalSeconds:F1} s, back after {(started.Elapsed - at).TotalSeconds:F1} s{(trading.IsCompleted ? " (trading over)" : "")}"));
        }
    }

    /// <summary>Until every process says Healthy (its bus connected again after the broker's return) and every outbox is
    /// empty, so what the actors did has reached everyone before the deliveries and the audit.</summary>
    public async Task SettleAsync()
    {
        var started = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waiting = new List<string>();
        while (started.Elapsed < TimeSpan.FromSeconds(120))
        {
            waiting.Clear();
            foreach (var (name, health) in tradeNet.Health)
            {
                try
                {
                    using var response = await http.GetAsync(health);
                    var text = await response.Content.ReadAsStringAsync();
                    if (!text.Contains("Healthy", StringComparison.Ordinal) || text.Contains("Unhealthy", StringComparison.Ordinal))
                        waiting.Add($"{name} {(int)response.StatusCode} {text}");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    waiting.Add($"{name}: {ex.Message}");
                }
            }
            waiting.AddRange(await PendingOutboxesAsync());
            if (waiting.Count == 0)
            {
                Log.Add(string.Create(CultureInfo.InvariantCulture, $"settled in {started.Elapsed.TotalSeconds:F1} s"));
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        throw new Xunit.Sdk.XunitException("Not settled two minutes after the chaos: " + string.Join("; ", waiting));
    }

    /// <summary>How many of the towns' trades ended in each status, and the shipments in each: shows what the audit covered.</summary>
    public async Task NoteOutcomeAsync(TradeNetClient ops, IEnumerable<string> towns)
    {
        var trades = new Dictionary<string, string>(StringComparer.Ordinal);
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var town in towns)
        {
            using var response = await ops.Send(HttpMethod.Get, $"/api/matching/trades?town={town}&limit=1000");
            if (!response.IsSuccessStatusCode) return;
            foreach (var t in JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray())
            {
                trades[t.GetProperty("id").GetString()!] = t.GetProperty("status").GetString()!;
                // Why trades were cancelled, by the reason's first words (ids left out).
                if (t.GetProperty("status").GetString() == "cancelled" && t.GetProperty("reason").GetString() is { } reason)
                    reasons[t.GetProperty("id").GetString()!] = string.Join(' ', reason.Split(' ').Where(w => !w.Any(char.IsDigit)).Take(4));
            }
        }
        using var shipments = await ops.Send(HttpMethod.Get, "/api/logistics/shipments?limit=1000");
        var shipped = shipments.IsSuccessStatusCode
            ? JsonDocument.Parse(await shipments.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
                .GroupBy(e => e.GetProperty("status").GetString()).Select(g => $"{g.Key} {g.Count()}")
            : [];
        Log.Add("trades: " + string.Join(", ", trades.Values.GroupBy(v => v).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))
            + "; shipments: " + string.Join(", ", shipped)
            + "; cancelled: " + string.Join(", ", reasons.Values.GroupBy(r => r).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
    }

    /// <summary>Outboxes still holding events (each a line), read from the services' files; with
    /// <paramref name="olderThan"/>, only events written longer ago than that (the services keep writing: a sweep's
    /// expiry, a retried reservation, the last deliveries' events are on their way for a moment).</summary>
    public Task<IReadOnlyList<string>> PendingOutboxesAsync(TimeSpan? olderThan = null) =>
        Backlog.PendingOutboxesAsync(tradeNet.DataDir, olderThan);
}
