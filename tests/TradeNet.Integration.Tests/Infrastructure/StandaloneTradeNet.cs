using System.Diagnostics;
using System.Globalization;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Infrastructure;

/// <summary>The standalone host as a user runs it: one process, in-memory bus, SQLite files.</summary>
public sealed class StandaloneTradeNet : ITradeNetUnderTest
{
    private readonly TestSettings _settings = new();
    private ServiceProcess? _process;

    public Uri Gateway { get; private set; } = null!;

    /// <summary>Settings beside the ones every test runs with (they win over those).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>A data folder whose SQLite files (*.db) the host starts on, copied first so the folder stays as it is
    /// (a release fixture); unset, the host starts on empty files.</summary>
    public string? StartFrom { get; init; }

    public string OperatorApiKey { get; init; } = DistributedTradeNet.OperatorKey;

    /// <summary>The folder the host keeps its SQLite files in (a Storage__DataDir of <see cref="Settings"/>, else a
    /// throw-away one, deleted with the host).</summary>
    public string DataDir => Settings.TryGetValue("Storage__DataDir", out var dir) ? dir : _settings.DataDir;

    /// <summary>Where the host's clock starts (libfaketime in the host's environment only; the test keeps the real
    /// clock): it reads this instant when the process starts and runs on at normal speed. Unset, the real clock.</summary>
    public DateTimeOffset? ClockStartsAt { get; init; }

    /// <summary>Debian's libfaketime (<c>apt-get install faketime</c>), in the machine's own multiarch folder
    /// (x86_64-linux-gnu, aarch64-linux-gnu…); the x86_64 path when none is installed, for the message.</summary>
    public static readonly string FakeTimeLibrary =
        (Directory.Exists("/usr/lib") ? Directory.GetDirectories("/usr/lib") : [])
            .Select(folder => Path.Combine(folder, "faketime", "libfaketime.so.1")).Where(File.Exists).Order(StringComparer.Ordinal)
            .FirstOrDefault() ?? "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

    private long _startedTimestamp;

    /// <summary>The host's clock now, as the test reckons it: where it started plus the time since the process was
    /// started (the library reads the start when the process loads it, a few milliseconds later, so this runs a little
    /// ahead of the host's clock, never behind). The real clock when <see cref="ClockStartsAt"/> is unset.</summary>
    public DateTimeOffset HostNow() => ClockStartsAt is { } start
        ? start + Stopwatch.GetElapsedTime(_startedTimestamp)
        : DateTimeOffset.UtcNow;

    public async Task InitializeAsync()
    {
        await ProcessTestsLock.HoldForThisProcessAsync(ProcessTestsLock.Wait);
        if (StartFrom is not null)
            foreach (var file in Directory.GetFiles(StartFrom, "*.db"))
                File.Copy(file, Path.Combine(_settings.DataDir, Path.GetFileName(file)));
        int edge = Repo.FreePort(), rest = Repo.FreePort(), grpc = Repo.FreePort();
        var env = new Dictionary<string, string>
        {
            ["Standalone__EdgeUrl"] = $"http://127.0.0.1:{edge}",
            ["Standalone__ServicesUrl"] = $"http://127.0.0.1:{rest}",
            ["Standalone__GrpcUrl"] = $"http://127.0.0.1:{grpc}",
            ["Standalone__Seed"] = "false",
            ["Storage__DataDir"] = _settings.DataDir,
            ["Gateway__Operators__0__Name"] = "ops",
            ["Gateway__Operators__0__Key"] = OperatorApiKey,
            ["Gateway__RateLimit__RegistrationsPerMinute"] = "1000",
            // Far longer than any test: a revoked key is refused through the catalog's revoked-key feed or not at all.
            ["Gateway__ApiKeyCache__Valid"] = "00:10:00",
        };
        foreach (var (name, value) in Settings) env[name] = value;
        if (ClockStartsAt is { } clock)
        {
            if (!File.Exists(FakeTimeLibrary))
                throw new InvalidOperationException(
                    $"This test starts the host's clock at {clock:u} with libfaketime, which is not installed ({FakeTimeLibrary} is missing): " +
                    "run `apt-get install -y faketime` (Debian's package; .ci/run installs it).");
            env["LD_PRELOAD"] = FakeTimeLibrary;
            // "@" starts the clock there at process start and lets it run at normal speed; the monotonic clock stays real,
            // so timers and timeouts measure real durations.
            env["FAKETIME"] = "@" + clock.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
            // libfaketime reads FAKETIME as local time; in UTC it is the instant whatever the machine's zone (the services
            // read no local zone: every zone they use is an IANA id of a setting or a vehicle).
            env["TZ"] = "UTC";
        }
        _startedTimestamp = Stopwatch.GetTimestamp();
        _process = await ServiceProcess.StartAsync("standalone", Repo.Assembly("deploy/TradeNet.Standalone", "TradeNet.Standalone"),
            env, new Uri($"http://127.0.0.1:{edge}/health"));
        Gateway = new Uri($"http://127.0.0.1:{edge}");
        if (ClockStartsAt is not null) await CheckTheHostsClockAsync();
    }

    /// <summary>The host's clock is where the test reckons it (its answers' Date header, to the second): else libfaketime
    /// did not take, and a test of an awkward instant would run at today's date and prove nothing.</summary>
    private async Task CheckTheHostsClockAsync()
    {
        using var http = new HttpClient();
        using var answer = await http.GetAsync(new Uri(Gateway, "/health"));
        var told = answer.Headers.Date ?? throw new InvalidOperationException("The host's answer carries no Date header.");
        var reckoned = HostNow();
        if (told < reckoned - TimeSpan.FromSeconds(3) || told > reckoned + TimeSpan.FromSeconds(1))
            throw new InvalidOperationException($"The host's clock reads {told:O}, not about {reckoned:O}: LD_PRELOAD={FakeTimeLibrary} did not move it.");
    }

    public string Logs() => _process?.Output ?? "";

    public async Task DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _settings.Dispose();
    }
}
