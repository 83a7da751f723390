using System.Collections.Concurrent;
using System.Globalization;

namespace TradeNet.Load.Benchmarks;

/// <summary>Every call's latency and status, per operation. Status 0 is a call that got no answer (timeout, refused
/// connection). A status the operation does not expect (any 5xx, a 4xx it does not name, no answer) is kept with the
/// problem's title and detail, so the report lists it instead of folding it into a total.</summary>
public sealed class Recorder
{
    private readonly ConcurrentDictionary<string, Operation> _operations = new();
    private readonly ConcurrentDictionary<(string Op, int Status, string Problem), int> _unexpected = new();
    private readonly ConcurrentQueue<(double At, double Ms)> _timeline = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly ConcurrentQueue<Call>? _window;

    /// <param name="windows">Also keep each call until <see cref="TakeWindow"/> takes it (for a report every so
    /// many seconds); without it nothing reads them and they are not kept.</param>
    public Recorder(bool windows = false) => _window = windows ? new ConcurrentQueue<Call>() : null;

    /// <summary>A call as the windowed report sees it: its operation, latency, status and whether it was expected.</summary>
    public readonly record struct Call(string Op, int Status, double Ms, bool Expected);

    public void Record(string op, int status, double ms, bool expected, string? problem)
    {
        _operations.GetOrAdd(op, _ => new Operation()).Add(status, ms);
        _timeline.Enqueue((_clock.Elapsed.TotalSeconds - ms / 1000, ms));
        _window?.Enqueue(new Call(op, status, ms, expected));
        if (!expected) _unexpected.AddOrUpdate((op, status, Shorten(problem ?? "")), 1, (_, n) => n + 1);
    }

    /// <summary>The calls that ended since the last take (none unless made with <c>windows</c>).</summary>
    public List<Call> TakeWindow()
    {
        var calls = new List<Call>();
        if (_window is null) return calls;
        while (_window.TryDequeue(out var call)) calls.Add(call);
        return calls;
    }

    /// <summary>The unexpected answers so far, by operation, status and problem (for a report of what is new).</summary>
    public Dictionary<(string Op, int Status, string Problem), int> UnexpectedSoFar() => new(_unexpected);

    public int UnexpectedCount => _unexpected.Values.Sum();

    public void Print(TextWriter o, double seconds)
    {
        o.WriteLine("| operation | count | ok | other statuses | per s | p50 ms | p95 ms | p99 ms | max ms |");
        o.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, op) in _operations.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var (statuses, ms) = op.Snapshot();
            Array.Sort(ms);
            var ok = statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);
            var others = string.Join(" ", statuses.Where(s => s.Key is < 200 or >= 300).OrderBy(s => s.Key)
                .Select(s => $"{(s.Key == 0 ? "none" : s.Key.ToString(CultureInfo.InvariantCulture))}×{s.Value}"));
            o.WriteLine(FormattableString.Invariant(
                $"| {name} | {ms.Length} | {ok} | {(others.Length == 0 ? "-" : others)} | {ms.Length / seconds:0.0} | {Quantile(ms, 0.50):0} | {Quantile(ms, 0.95):0} | {Quantile(ms, 0.99):0} | {(ms.Length == 0 ? 0 : ms[^1]):0} |"));
        }
        if (_unexpected.IsEmpty)
        {
            o.WriteLine();
            o.WriteLine("Unexpected answers: none (no 5xx, no 4xx an operation does not expect, no call without an answer).");
            return;
        }
        o.WriteLine();
        o.WriteLine($"Unexpected answers: {UnexpectedCount}");
        foreach (var ((op, status, problem), n) in _unexpected.OrderBy(p => p.Key.Op, StringComparer.Ordinal).ThenBy(p => p.Key.Status))
            o.WriteLine(FormattableString.Invariant($"  {n,6} × {op} → {(status == 0 ? "no answer" : status.ToString(CultureInfo.InvariantCulture))}: {problem}"));
    }

    /// <summary>Every call by the window it started in: how the latency moved through the run, next to
    /// <paramref name="busy"/> (the windows a clearing round or planning run was in).</summary>
    public void PrintTimeline(TextWriter o, double window, Func<double, double, string> busy)
    {
        o.WriteLine("| from s | calls | per s | p50 ms | p95 ms | max ms | operator busy |");
        o.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var g in _timeline.GroupBy(c => Math.Floor(c.At / window)).OrderBy(g => g.Key))
        {
            var ms = g.Select(c => c.Ms).Order().ToArray();
            var from = g.Key * window;
            o.WriteLine(FormattableString.Invariant(
                $"| {from:0} | {ms.Length} | {ms.Length / window:0.0} | {Quantile(ms, 0.5):0} | {Quantile(ms, 0.95):0} | {ms[^1]:0} | {busy(from, from + window)} |"));
        }
    }

    public static double Quantile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Shorten(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length <= 220 ? s : s[..220] + "…";
    }

    private sealed class Operation
    {
        private readonly Lock _lock = new();
        private readonly List<double> _ms = [];
        private readonly Dictionary<int, int> _statuses = [];

        public void Add(int status, double ms)
        {
            lock (_lock)
            {
                _ms.Add(ms);
                _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            }
        }

        public (Dictionary<int, int> Statuses, double[] Ms) Snapshot()
        {
            lock (_lock) return (new Dictionary<int, int>(_statuses), [.. _ms]);
        }
    }
}
